package io.shardgate.node.config;

/** A flag, environment variable or file the node cannot start with; the message says what to fix. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
