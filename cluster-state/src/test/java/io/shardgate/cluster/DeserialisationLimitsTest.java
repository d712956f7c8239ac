package io.shardgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.exception.RetryableHazelcastException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The allow-list admits what Hazelcast itself Java-serialises (exceptions) and nothing else. */
class DeserialisationLimitsTest {

    /** A remote operation's failure, as Hazelcast sends it: a Hazelcast exception with a JDK cause and suppressed one. */
    private static RetryableHazelcastException remoteFailure() {
        RetryableHazelcastException e = new RetryableHazelcastException("partition migrating",
                new java.util.concurrent.TimeoutException("slow"));
        e.addSuppressed(new IOException("reset"));
        return e;
    }

    @Test
    void aMemberStillReadsTheExceptionsHazelcastSendsButNoOtherObject() {
        MemberSettings settings = new MemberSettings("limits-" + System.nanoTime(), "127.0.0.1", 0, MemberSettings.Join.TCP,
                List.of("127.0.0.1"), null, Duration.ofSeconds(3));
        int readsBefore = Gadget.READS.get();
        try (ClusterMember honest = ClusterMember.start(settings)) {
            HazelcastInstance other = RogueMember.join(honest, Map.of());
            try {
                other.getMap("m").set("exception", remoteFailure());
                other.getMap("m").set("gadget", new Gadget("x"));
                Object read = honest.hazelcast().getMap("m").get("exception");
                assertThat(read).isInstanceOf(RetryableHazelcastException.class);
                assertThat((Throwable) read).hasMessage("partition migrating")
                        .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
                assertThatThrownBy(() -> honest.hazelcast().getMap("m").get("gadget"))
                        .hasRootCauseInstanceOf(SecurityException.class).hasStackTraceContaining(Gadget.class.getName());
                assertThat(Gadget.READS.get()).isEqualTo(readsBefore);
            } finally {
                other.shutdown();
            }
        }
    }

    @Test
    void theJvmWideFilterSaysTheSame() throws Exception {
        ObjectInputFilter filter = ObjectInputFilter.Config.createFilter(DeserialisationLimits.JVM_FILTER);
        int readsBefore = Gadget.READS.get();
        assertThat(readBack(remoteFailure(), filter)).isInstanceOf(RetryableHazelcastException.class);
        assertThat(readBack(new ArrayList<>(List.of("a", 1, java.util.UUID.randomUUID())), filter)).isInstanceOf(List.class);
        assertThatThrownBy(() -> readBack(new Gadget("x"), filter)).isInstanceOf(InvalidClassException.class);
        assertThatThrownBy(() -> readBack(List.of(new Gadget("inside a list")), filter)).isInstanceOf(InvalidClassException.class);
        assertThatThrownBy(() -> readBack(java.time.Duration.ofSeconds(1), filter)).as("a JDK class outside the list")
                .isInstanceOf(InvalidClassException.class);
        List<Object> deep = new ArrayList<>();
        List<Object> at = deep;
        for (int i = 0; i < 100; i++) {
            List<Object> next = new ArrayList<>();
            at.add(next);
            at = next;
        }
        assertThatThrownBy(() -> readBack(deep, filter)).as("graph depth").isInstanceOf(InvalidClassException.class);
        assertThat(Gadget.READS.get()).isEqualTo(readsBefore);
    }

    private static Object readBack(Object value, ObjectInputFilter filter) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        }
    }
}
