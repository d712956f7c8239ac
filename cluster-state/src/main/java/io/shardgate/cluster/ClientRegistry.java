package io.shardgate.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Which node serves which Envoy, cluster-wide, for the admin endpoint of any node. Each node publishes the
 * complete list of its own clients (replacing what it published before); the entries of a member that
 * leaves are removed by every survivor (idempotent). Entries are plain text: no Java serialisation.
 *
 * <p>A client id is whatever the Envoy sent as its node id, so every field is escaped before the fields are
 * joined with TABs ({@code \\}, {@code \t}, {@code \n}, {@code \r}); an entry that does not decode (written
 * by something else) is left out of {@link #all()} rather than failing it.
 */
public final class ClientRegistry implements AutoCloseable {
    static final String MAP = "shardgate.clients";

    /** One Envoy stream as the cluster sees it. */
    public record ServedClient(String clientId, String gateway, int shard, String protocol, String memberId,
                               String adsAddress) {
        String key() {
            return clientId + "@" + memberId;
        }

        String encode() {
            return String.join("\t", escape(clientId), escape(gateway), Integer.toString(shard), escape(protocol),
                    escape(memberId), escape(adsAddress));
        }

        /** The client, or null if {@code text} is not an encoded client. */
        static ServedClient decode(String text) {
            String[] f = text.split("\t", -1);
            if (f.length != 6) return null;
            try {
                return new ServedClient(unescape(f[0]), unescape(f[1]), Integer.parseInt(f[2]), unescape(f[3]),
                        unescape(f[4]), unescape(f[5]));
            } catch (IllegalArgumentException notEncodedHere) {
                return null;
            }
        }
    }

    static String escape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException for a dangling or unknown escape */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == field.length()) throw new IllegalArgumentException("dangling escape");
            out.append(switch (field.charAt(i)) {
                case '\\' -> '\\';
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> throw new IllegalArgumentException("unknown escape");
            });
        }
        return out.toString();
    }

    private final ClusterMember member;
    private final IMap<String, String> map;
    private final UUID membership;

    public ClientRegistry(ClusterMember member) {
        this.member = member;
        this.map = member.hazelcast().getMap(MAP);
        this.membership = member.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {}

            @Override
            public void memberRemoved(MembershipEvent event) {
                removeMember(event.getMember().getUuid().toString());
            }
        });
    }

    /** Replaces this member's entries with {@code clients} (all of them served by {@code memberId}). */
    public void publish(String memberId, Collection<ServedClient> clients) {
        Set<String> current = new HashSet<>();
        for (ServedClient c : clients) {
            current.add(c.key());
            String encoded = c.encode();
            if (!encoded.equals(map.get(c.key()))) map.set(c.key(), encoded);
        }
        for (String key : Set.copyOf(map.keySet())) {
            if (key.endsWith("@" + memberId) && !current.contains(key)) map.delete(key);
        }
    }

    /** Every client of the cluster, sorted by client id then member. */
    public List<ServedClient> all() {
        return storedTexts().stream().map(ServedClient::decode).filter(Objects::nonNull)
                .sorted(Comparator.comparing(ServedClient::clientId).thenComparing(ServedClient::memberId)).toList();
    }

    /**
     * The stored values that are text. Anything on the cluster channel can store other objects here; a member
     * refuses to deserialise them ({@link DeserialisationLimits}), which fails a bulk read, so then the entries
     * are read one by one and the refused ones skipped (all of them when even a key is refused).
     */
    private List<String> storedTexts() {
        IMap<Object, Object> raw = member.hazelcast().getMap(MAP);
        try {
            return raw.values().stream().filter(String.class::isInstance).map(String.class::cast).toList();
        } catch (RuntimeException refused) {
            List<String> texts = new ArrayList<>();
            try {
                for (Object key : raw.keySet()) {
                    try {
                        if (raw.get(key) instanceof String text) texts.add(text);
                    } catch (RuntimeException skipped) {
                        // a foreign object under this key
                    }
                }
            } catch (RuntimeException keysRefused) {
                return List.of();
            }
            return texts;
        }
    }

    private void removeMember(String memberId) {
        if (!member.isRunning()) return;
        for (String key : Set.copyOf(map.keySet())) {
            if (key.endsWith("@" + memberId)) map.delete(key);
        }
    }

    @Override
    public void close() {
        if (member.isRunning()) member.hazelcast().getCluster().removeMembershipListener(membership);
    }
}
