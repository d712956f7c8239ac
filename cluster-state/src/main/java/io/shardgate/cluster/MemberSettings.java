package io.shardgate.cluster;

import java.time.Duration;
import java.util.List;

/**
 * How this node joins the control-plane cluster.
 *
 * @param clusterName   Hazelcast cluster name; nodes with different names never join
 * @param bindAddress   interface address the member binds and advertises (127.0.0.1 for loopback tests)
 * @param port          member port (5701 by default; 0 picks a free one, for tests)
 * @param join          how members find each other
 * @param members       TCP-IP join: the member addresses (host or host:port)
 * @param dnsService    Kubernetes join: the headless Service's DNS name
 * @param failureTimeout a member silent this long is removed (Hazelcast's default is 60 s, far too slow here)
 * @param mergeDelay    how often a member looks for another cluster of the same name to merge with after a
 *                      split brain (Hazelcast's default is 300 s, then 120 s)
 */
public record MemberSettings(
        String clusterName,
        String bindAddress,
        int port,
        Join join,
        List<String> members,
        String dnsService,
        Duration failureTimeout,
        Duration mergeDelay) {

    public static final Duration DEFAULT_MERGE_DELAY = Duration.ofSeconds(10);

    public MemberSettings(String clusterName, String bindAddress, int port, Join join, List<String> members,
                          String dnsService, Duration failureTimeout) {
        this(clusterName, bindAddress, port, join, members, dnsService, failureTimeout, DEFAULT_MERGE_DELAY);
    }

    public enum Join { NONE, TCP, KUBERNETES }

    public MemberSettings {
        members = List.copyOf(members);
        if (failureTimeout.toSeconds() < 2) {
            throw new IllegalArgumentException("failure timeout must be at least 2s, was " + failureTimeout);
        }
        if (mergeDelay.toSeconds() < 1) {
            throw new IllegalArgumentException("merge delay must be at least 1s, was " + mergeDelay);
        }
        if (join == Join.KUBERNETES && (dnsService == null || dnsService.isBlank())) {
            throw new IllegalArgumentException("Kubernetes join needs the headless Service DNS name");
        }
    }

    /** One node on its own: the embedded default. */
    public static MemberSettings standalone() {
        return new MemberSettings("shardgate", "127.0.0.1", 5701, Join.NONE, List.of(), null, Duration.ofSeconds(5));
    }
}
