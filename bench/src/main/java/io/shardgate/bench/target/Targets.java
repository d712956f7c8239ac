package io.shardgate.bench.target;

/** Makes targets by name. */
public final class Targets {
    private Targets() {}

    public static Target start(String name) {
        return switch (name) {
            case "shardgate" -> new ShardgateTarget(false);
            case "shardgate-mtls" -> new ShardgateTarget(true);
            case "baseline" -> new BaselineTarget();
            default -> throw new IllegalArgumentException("unknown target " + name + " (shardgate, shardgate-mtls or baseline)");
        };
    }
}
