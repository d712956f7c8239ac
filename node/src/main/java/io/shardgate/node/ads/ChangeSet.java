package io.shardgate.node.ads;

import io.shardgate.translator.resource.XdsResource;
import java.util.Map;
import java.util.Set;

/**
 * What one response changes in a client's copy of one type. Owned by one {@link TypeSubscription}: the
 * collections shrink if the client unsubscribes a name while the response is in flight.
 *
 * @param setHashAfter the order-independent hash of the client's (name, version) set once it applies this:
 *     the response's version; equal to {@code ShardStore.typeHash} when the client then holds the whole type
 */
record ChangeSet(Map<String, XdsResource> updates, Set<String> removals, long setHashAfter) {}
