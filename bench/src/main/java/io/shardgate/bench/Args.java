package io.shardgate.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name=value} flags; every flag given must be read, so a typo fails the run instead of being ignored. */
public final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> read = new HashSet<>();

    public Args(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) throw new IllegalArgumentException("expected --name=value, got " + arg);
            values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
    }

    public String string(String name, String fallback) {
        read.add(name);
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) {
        return Integer.parseInt(string(name, Integer.toString(fallback)));
    }

    public double decimal(String name, double fallback) {
        return Double.parseDouble(string(name, Double.toString(fallback)));
    }

    public List<Integer> integers(String name, String fallback) {
        return Arrays.stream(string(name, fallback).split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    public List<String> strings(String name, String fallback) {
        return Arrays.stream(string(name, fallback).split(",")).map(String::trim).toList();
    }

    public Duration duration(String name, String fallback) {
        String v = string(name, fallback);
        if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        if (v.endsWith("s")) return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
        if (v.endsWith("m")) return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        throw new IllegalArgumentException("--" + name + ": expected a duration like 500ms, 10s or 2m, got " + v);
    }

    public void checkAllRead() {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) throw new IllegalArgumentException("unknown flags: " + unknown);
    }
}
