package io.shardgate.node.engine;

import io.shardgate.translator.input.GatewayLayout;
import java.util.List;

/**
 * How one Shardgate gateway is served, from the annotations of the class that defines it.
 *
 * @param shards           null for the node's default
 * @param clientIdentities empty for the node's default
 */
record GatewaySettings(Integer shards, List<String> clientIdentities, GatewayLayout layout) {}
