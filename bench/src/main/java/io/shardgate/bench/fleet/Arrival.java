package io.shardgate.bench.fleet;

import com.google.protobuf.ByteString;
import io.shardgate.node.store.ShardKey;
import io.shardgate.translator.resource.ResourceType;

/** A new resource version received by fleet client {@code client} at {@code nanos} ({@link System#nanoTime()}). */
public record Arrival(int client, ShardKey shard, ResourceType type, String name, ByteString body, long nanos) {}
