package io.shardgate.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ShardIdTest {

    @Test
    void ordersByGatewayThenNumericShardIndex() {
        TreeSet<ShardId> sorted = new TreeSet<>(List.of(
                new ShardId("public", 10), new ShardId("public", 9), new ShardId("edge", 3)));
        assertThat(sorted).containsExactly(new ShardId("edge", 3), new ShardId("public", 9), new ShardId("public", 10));
    }

    @Test
    void textFormRoundTrips() {
        ShardId shard = new ShardId("shardgate-public", 12);
        assertThat(shard).hasToString("shardgate-public/12");
        assertThat(ShardId.parse("shardgate-public/12")).isEqualTo(shard);
    }

    @Test
    void allOfListsEveryIndex() {
        assertThat(ShardId.allOf("edge", 3)).containsExactly(new ShardId("edge", 0), new ShardId("edge", 1), new ShardId("edge", 2));
    }

    @Test
    void rejectsMalformedIds() {
        assertThatThrownBy(() -> new ShardId("public", -1)).hasMessageContaining("negative");
        assertThatThrownBy(() -> new ShardId("a/b", 0)).hasMessageContaining("'/'");
        assertThatThrownBy(() -> new ShardId("", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShardId.parse("public")).hasMessageContaining("gateway/shard");
        assertThatThrownBy(() -> ShardId.parse("public/x")).hasMessageContaining("gateway/shard");
        assertThatThrownBy(() -> ShardId.allOf("public", 0)).hasMessageContaining("at least 1");
    }
}
