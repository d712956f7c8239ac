package io.shardgate.node.ads;

import io.shardgate.sharding.ShardId;
import java.util.Map;

/**
 * Where a shard is served from, as the ADS server needs to know it: here, by another node (whose ADS address it
 * gives), or nowhere yet. Implementations read the cluster's shard table; every method may be called from any
 * thread.
 */
public interface ShardRouter {
    /** Every shard served here: the single-node (and test) setup without a cluster. */
    ShardRouter LOCAL = new ShardRouter() {
        @Override
        public Route route(ShardId shard) {
            return Route.LOCAL;
        }

        @Override
        public Runnable onChange(Runnable listener) {
            return () -> {};
        }
    };

    /** Where {@code shard} is served according to the latest shard table this node has seen. */
    Route route(ShardId shard);

    /** This node's name in the cluster (sent on the streams it relays). */
    default String localName() {
        return "local";
    }

    /**
     * True while this node, the shard's owner, has just taken it over and has read the sources less far than the
     * node it took it from had: a stream served now could lack what that node already sent, so new streams wait.
     */
    default boolean catchingUp(ShardId shard) {
        return false;
    }

    /**
     * True while this node serves nothing at all (fenced after a pause): a stream is refused at once so its client
     * reconnects to another node, rather than waiting here for a placement.
     */
    default boolean servesNothing() {
        return false;
    }

    /**
     * The ADS addresses ({@code host:port}) of the other admitted members, by member id: where streams may be
     * relayed next. None while this node serves nothing.
     */
    default Map<String, String> peers() {
        return Map.of();
    }

    /** Calls {@code listener} (on any thread) after every change of the shard table; returns its removal. */
    Runnable onChange(Runnable listener);

    /** The outcome of a lookup. */
    sealed interface Route permits Local, Remote, Unplaced {
        Route LOCAL = new Local();
        Route UNPLACED = new Unplaced();
    }

    /** This node owns the shard. */
    record Local() implements Route {}

    /**
     * Another node owns the shard.
     *
     * @param memberId the owner's cluster member id
     * @param adsAddress the owner's ADS address, {@code host:port}
     */
    record Remote(String memberId, String adsAddress) implements Route {}

    /** No node owns the shard yet (or its owner's address is not known yet): the client should retry. */
    record Unplaced() implements Route {}
}
