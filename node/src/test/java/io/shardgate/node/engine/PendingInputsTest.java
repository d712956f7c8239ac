package io.shardgate.node.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.ServiceInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class PendingInputsTest {

    @Test
    void theLatestChangeOfEachObjectIsTakenOnceInTheOrderTheObjectsBecamePending() {
        PendingInputs pending = new PendingInputs();
        pending.put(ref("b"), Optional.of(service("b", 1)));
        pending.put(ref("a"), Optional.of(service("a", 1)));
        pending.put(ref("b"), Optional.empty());
        pending.put(ref("a"), Optional.of(service("a", 2)));

        List<String> taken = new ArrayList<>();
        pending.take((ref, change) -> taken.add(ref.name() + "=" + change.map(PendingInputsTest::port).map(String::valueOf).orElse("deleted")));
        assertThat(taken).containsExactly("b=deleted", "a=2");

        pending.take((ref, change) -> taken.add("again " + ref.name()));
        assertThat(taken).hasSize(2);
    }

    /**
     * Producers put seeded random changes to objects of their own while the consumer takes; after the producers stop
     * and a last take, every object's last applied change is the last one put: nothing lost, nothing stale.
     */
    @Test
    void underConcurrentPutsNoChangeIsLostAndTheLastOneWins() throws Exception {
        PendingInputs pending = new PendingInputs();
        Map<ObjectRef, Optional<InputObject>> applied = new HashMap<>();
        int producers = 3;
        List<Map<ObjectRef, Optional<InputObject>>> lastPut = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(producers);
        AtomicBoolean failed = new AtomicBoolean();
        for (int p = 0; p < producers; p++) {
            Map<ObjectRef, Optional<InputObject>> mine = new HashMap<>();
            lastPut.add(mine);
            int producer = p;
            Thread t = new Thread(() -> {
                try {
                    Random random = new Random(42 + producer);
                    for (int i = 0; i < 50_000; i++) {
                        String name = "p" + producer + "-" + random.nextInt(200);
                        Optional<InputObject> change = random.nextInt(5) == 0 ? Optional.empty() : Optional.of(service(name, i));
                        pending.put(ref(name), change);
                        mine.put(ref(name), change);
                    }
                } catch (RuntimeException e) {
                    failed.set(true);
                } finally {
                    done.countDown();
                }
            });
            t.start();
        }
        while (done.getCount() > 0) pending.take(applied::put);
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        pending.take(applied::put);

        assertThat(failed).isFalse();
        Map<ObjectRef, Optional<InputObject>> expected = new HashMap<>();
        lastPut.forEach(expected::putAll);
        assertThat(applied).isEqualTo(expected);
    }

    private static ObjectRef ref(String name) {
        return ObjectRef.of(ObjectRef.Kind.SERVICE, "default", name);
    }

    private static ServiceInput service(String name, int port) {
        return new ServiceInput("default", name, "ClusterIP", null, List.of(new ServiceInput.Port("http", port, "TCP", null)));
    }

    private static int port(InputObject object) {
        return ((ServiceInput) object).ports().get(0).port();
    }
}
