package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.kube.Hosts;
import java.util.ArrayList;
import java.util.List;

/**
 * The hostnames a route answers on a listener: the specification's intersection of the listener's hostname with
 * the route's hostnames. A Gateway API wildcard covers any number of labels ({@code *.example.com} covers
 * {@code a.b.example.com}).
 */
final class ListenerHostnames {

    private ListenerHostnames() {}

    /**
     * @param listener the listener's hostname, null for every host
     * @param route    the route's hostnames, empty for every host of the listener
     * @return normalised; {@link Hosts#CATCH_ALL} when neither names a host; empty when they do not intersect
     */
    static List<String> intersect(String listener, List<String> route) {
        if (route.isEmpty()) return List.of(Hosts.normalise(listener));
        List<String> out = new ArrayList<>();
        for (String written : route) {
            String host = Hosts.normalise(written);
            if (listener == null) {
                out.add(host);
                continue;
            }
            String bound = Hosts.normalise(listener);
            if (host.equals(bound) || covers(bound, host)) {
                out.add(host);
            } else if (covers(host, bound)) {
                out.add(bound);
            }
        }
        return out.stream().distinct().toList();
    }

    /** Whether a wildcard covers a (longer) name: {@code *.example.com} covers {@code a.example.com} and {@code *.a.example.com}. */
    static boolean covers(String wildcard, String name) {
        if (!wildcard.startsWith("*.")) return false;
        String suffix = wildcard.substring(1);
        return name.length() > suffix.length() && name.endsWith(suffix);
    }
}
