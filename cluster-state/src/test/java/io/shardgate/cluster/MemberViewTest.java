package io.shardgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemberViewTest {
    private final List<HonestMember> members = new ArrayList<>();

    @AfterEach
    void closeMembers() {
        members.forEach(HonestMember::close);
    }

    /** Three members of one new cluster on loopback, their ADS addresses {@code adsPrefix + 0..2}. */
    private void startThree(String adsPrefix) {
        String cluster = "view-" + System.nanoTime();
        for (int i = 0; i < 3; i++) members.add(HonestMember.start(loopback(cluster), adsPrefix + i));
    }

    private static MemberSettings loopback(String cluster) {
        return new MemberSettings(cluster, "127.0.0.1", 0, MemberSettings.Join.TCP, List.of("127.0.0.1"), null,
                Duration.ofSeconds(3));
    }

    @Test
    void everyMemberSeesTheSameSortedViewWithAddressesAndLearnsOfALeave() throws Exception {
        startThree("127.0.0.1:1800");
        List<MemberView> views = members.stream().map(HonestMember::view).toList();
        // Membership reaches each member on its own schedule: wait until all agree.
        Await.until("three members in every view", () -> views.stream()
                .allMatch(v -> v.nodes().size() == 3 && v.nodes().equals(views.get(0).nodes())));
        List<MemberView.Node> first = views.get(0).nodes();
        assertThat(first).hasSize(3);
        assertThat(first).extracting(MemberView.Node::id).isSorted();
        assertThat(first).extracting(MemberView.Node::adsAddress)
                .containsExactlyInAnyOrder("127.0.0.1:18000", "127.0.0.1:18001", "127.0.0.1:18002");
        for (MemberView view : views) assertThat(view.nodes()).isEqualTo(first);

        CompletableFuture<List<MemberView.Node>> afterLeave = new CompletableFuture<>();
        views.get(0).onChange(afterLeave::complete);
        String leaving = views.get(2).localId();
        members.get(2).close();

        List<MemberView.Node> remaining = afterLeave.get(30, TimeUnit.SECONDS);
        assertThat(remaining).hasSize(2).extracting(MemberView.Node::id).doesNotContain(leaving).isSorted();
    }

    /**
     * A member's view learns of a departure while its own proof cannot be stored: a map operation can wait long (on a
     * dead member's partitions until Hazelcast promotes their backups; here on a key another member holds locked),
     * and the view must not wait behind it. The view did, when it stored its proof on its own thread.
     */
    @Test
    void aDepartureReachesTheViewWhileItsProofCannotBeStored() throws Exception {
        startThree("127.0.0.1:1810");
        MemberView view = members.get(0).view();
        Await.until("three members in the first view", () -> view.nodes().size() == 3);
        var proofsSeenByAnother = members.get(1).member().hazelcast().<String, Object>getMap(MemberView.PROOFS);
        proofsSeenByAnother.lock(view.localId());
        proofsSeenByAnother.delete(view.localId()); // the first member stores its proof again: blocked by the lock
        Await.until("the first member blocked storing its proof", MemberViewTest::aProofStoreIsBlocked);

        String leaving = members.get(2).view().localId();
        members.get(2).close();

        Await.until("the departure in the first view", () -> view.nodes().size() == 2);
        assertThat(view.nodes()).extracting(MemberView.Node::id).doesNotContain(leaving);
        proofsSeenByAnother.unlock(view.localId());
        Await.until("the first member's proof stored again",
                () -> proofsSeenByAnother.get(view.localId()) != null);
    }

    private static boolean aProofStoreIsBlocked() {
        return Thread.getAllStackTraces().entrySet().stream().anyMatch(e -> e.getKey().getState() != Thread.State.RUNNABLE
                && java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(MemberView.class.getName())
                        && f.getMethodName().equals("storeOwnProof")));
    }
}
