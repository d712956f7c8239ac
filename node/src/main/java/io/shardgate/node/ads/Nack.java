package io.shardgate.node.ads;

import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceType;
import java.util.Map;

/**
 * A client rejected a response.
 *
 * @param rejectedVersions the resources taken as rejected (name to version): those the error message names,
 *     or every changed resource of the response when it names none; they are not sent to this stream again
 *     until they change
 * @param errorMessage the client's error_detail message, verbatim
 */
public record Nack(String nodeId, ShardId shard, ResourceType type, Map<String, String> rejectedVersions, String errorMessage) {

    public Nack {
        rejectedVersions = Map.copyOf(rejectedVersions);
    }
}
