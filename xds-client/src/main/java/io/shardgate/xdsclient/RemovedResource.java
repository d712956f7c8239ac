package io.shardgate.xdsclient;

/**
 * A resource the server removed from what the client holds.
 *
 * @param nanos {@link System#nanoTime()} when the response carrying the removal arrived
 */
public record RemovedResource(XdsType type, String name, long nanos) {}
