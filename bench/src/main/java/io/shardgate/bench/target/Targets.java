package io.shardgate.bench.target;

import io.shardgate.translator.input.GatewayLayout;

/** Makes targets by name. */
public final class Targets {
    private Targets() {}

    public static Target start(String name) {
        return switch (name) {
            case "shardgate" -> new ShardgateTarget(false);
            case "shardgate-mtls" -> new ShardgateTarget(true);
            case "shardgate-scoped" -> new ShardgateTarget(false, GatewayLayout.SCOPED);
            case "baseline" -> new BaselineTarget();
            default -> throw new IllegalArgumentException("unknown target " + name
                    + " (shardgate, shardgate-mtls, shardgate-scoped or baseline)");
        };
    }
}
