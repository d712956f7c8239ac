package io.shardgate.translator.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import org.junit.jupiter.api.Test;

class CompositeTest {
    private static final Listener HEADER = Listener.newBuilder().setName("https").build();

    private static Composite listener() {
        return new Composite(ResourceType.LISTENER, "https", HEADER.toByteString(), Listener.FILTER_CHAINS_FIELD_NUMBER);
    }

    private static FilterChain chain(String host) {
        return FilterChain.newBuilder().setName(host)
                .setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames(host)).build();
    }

    private static Part part(String host) {
        return Part.of(host, chain(host).toByteString());
    }

    @Test
    void assembledBytesParseBackToTheFullMessageWithPartsInKeyOrder() throws InvalidProtocolBufferException {
        Composite composite = listener();
        composite.put(part("b.example.com"));
        composite.put(part("a.example.com"));

        Listener parsed = Listener.parseFrom(composite.resource().body());

        assertThat(parsed).isEqualTo(HEADER.toBuilder()
                .addFilterChains(chain("a.example.com"))
                .addFilterChains(chain("b.example.com"))
                .build());
        assertThat(composite.resource().type()).isEqualTo(ResourceType.LISTENER);
        assertThat(composite.resource().name()).isEqualTo("https");
    }

    @Test
    void hashChangesIffContentChanges() {
        Composite composite = listener();
        long empty = composite.hash();
        composite.put(part("a.example.com"));
        long one = composite.hash();
        assertThat(one).isNotEqualTo(empty);

        composite.put(Part.of("a.example.com", chain("changed.example.com").toByteString()));
        assertThat(composite.hash()).isNotEqualTo(one);

        composite.put(part("a.example.com"));
        assertThat(composite.hash()).isEqualTo(one);

        composite.remove("a.example.com");
        assertThat(composite.hash()).isEqualTo(empty);
    }

    @Test
    void hashDoesNotDependOnInsertionOrder() {
        Composite forward = listener();
        forward.put(part("a.example.com"));
        forward.put(part("b.example.com"));
        Composite backward = listener();
        backward.put(part("b.example.com"));
        backward.put(part("a.example.com"));

        assertThat(forward.hash()).isEqualTo(backward.hash());
        assertThat(forward.resource().body()).isEqualTo(backward.resource().body());
    }

    @Test
    void puttingAnIdenticalPartIsANoOp() {
        Composite composite = listener();
        assertThat(composite.put(part("a.example.com"))).isTrue();
        XdsResource before = composite.resource();

        assertThat(composite.put(part("a.example.com"))).isFalse();

        assertThat(composite.resource()).isSameAs(before);
        assertThat(composite.size()).isEqualTo(1);
    }

    @Test
    void removeReportsWhetherThereWasAPart() {
        Composite composite = listener();
        composite.put(part("a.example.com"));
        assertThat(composite.remove("missing.example.com")).isFalse();
        assertThat(composite.remove("a.example.com")).isTrue();
        assertThat(composite.isEmpty()).isTrue();
    }

    @Test
    void manyPartsAcrossBucketSplitsAndRemovalsAssembleLikeTheWholeMessage() throws InvalidProtocolBufferException {
        Composite composite = listener();
        java.util.TreeMap<String, FilterChain> expected = new java.util.TreeMap<>();
        java.util.Random random = new java.util.Random(42);
        for (int step = 0; step < 20 * Composite.MAX_BUCKET; step++) {
            String host = "h" + random.nextInt(6 * Composite.MAX_BUCKET) + ".example.com";
            if (random.nextInt(4) == 0) {
                assertThat(composite.remove(host)).isEqualTo(expected.remove(host) != null);
            } else {
                composite.put(part(host));
                expected.put(host, chain(host));
            }
            if (step % 997 == 0) assertAssembled(composite, expected);
        }
        assertAssembled(composite, expected);
        assertThat(composite.size()).isEqualTo(expected.size());
    }

    private static void assertAssembled(Composite composite, java.util.TreeMap<String, FilterChain> expected)
            throws InvalidProtocolBufferException {
        Listener whole = HEADER.toBuilder().addAllFilterChains(expected.values()).build();
        assertThat(Listener.parseFrom(composite.resource().body())).isEqualTo(whole);
        assertThat(composite.resource().body()).isEqualTo(whole.toByteString());
    }
}
