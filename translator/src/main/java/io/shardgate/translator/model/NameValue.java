package io.shardgate.translator.model;

/** A header or query parameter name with a value. */
public record NameValue(String name, String value) {}
