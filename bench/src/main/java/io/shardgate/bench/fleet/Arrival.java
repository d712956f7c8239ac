package io.shardgate.bench.fleet;

import com.google.protobuf.ByteString;
import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceType;

/** A new resource version received by fleet client {@code client} at {@code nanos} ({@link System#nanoTime()}). */
public record Arrival(int client, ShardId shard, ResourceType type, String name, ByteString body, long nanos) {}
