package io.shardgate.translator.status;

import java.util.List;

/** A Shardgate GatewayClass's status: its Accepted condition. */
public record GatewayClassStatus(String name, long generation, List<Condition> conditions) {
    public GatewayClassStatus {
        conditions = List.copyOf(conditions);
    }
}
