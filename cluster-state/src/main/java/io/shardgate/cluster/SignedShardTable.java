package io.shardgate.cluster;

import io.shardgate.sharding.ShardAssignment;
import io.shardgate.sharding.ShardId;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The shard table as stored: the assignment, the admitted members it was computed over and a sequence number
 * that grows with every table the writer writes, signed with the {@link ClusterKey} under the cluster's name.
 * Only a node holding the key can write one that verifies; the sequence tells an old table written back (a
 * replay) from the current one.
 *
 * <p>Plain text, no Java serialisation, readable in a debugger:
 * <pre>
 * shardgate shard table v1
 * sequence 12
 * members 3f0c…,9a41…
 * public/0=3f0c…
 * public/1=9a41…
 * &gt;public/1=3f0c…
 * signature BASE64
 * </pre>
 *
 * <p>{@code assignment} names the member serving each shard; {@code incoming} the member a shard is moving to,
 * which translates it meanwhile and takes it over once it says it is ready (make-before-break, lines starting
 * with {@code >}).
 */
record SignedShardTable(long sequence, Set<String> members, ShardAssignment assignment, ShardAssignment incoming) {
    private static final String HEADER = "shardgate shard table v1";
    private static final String SIGNATURE = "signature ";
    private static final String INCOMING = ">";

    SignedShardTable {
        members = Collections.unmodifiableSortedSet(new TreeSet<>(members));
        if (incoming == null) incoming = ShardAssignment.empty();
        if (sequence < 1) throw new IllegalArgumentException("sequence must be positive, was " + sequence);
    }

    /** What a stored value turned out to be. */
    sealed interface Reading permits Absent, Verified, Rejected {}

    SignedShardTable(long sequence, Set<String> members, ShardAssignment assignment) {
        this(sequence, members, assignment, ShardAssignment.empty());
    }

    /** Where each shard is headed: its incoming member where it has one, else its owner. */
    ShardAssignment target() {
        if (incoming.owners().isEmpty()) return assignment;
        Map<ShardId, String> target = new TreeMap<>(assignment.owners());
        target.putAll(incoming.owners());
        return ShardAssignment.of(target);
    }

    record Absent() implements Reading {}

    record Verified(SignedShardTable table) implements Reading {}

    record Rejected(TableRejection reason) implements Reading {}

    String sign(ClusterKey key, String clusterName) {
        StringBuilder body = new StringBuilder(HEADER).append('\n')
                .append("sequence ").append(sequence).append('\n')
                .append("members ").append(String.join(",", members)).append('\n');
        assignment.owners().forEach((shard, owner) -> body.append(shard).append('=').append(owner).append('\n'));
        incoming.owners().forEach((shard, to) -> body.append(INCOMING).append(shard).append('=').append(to).append('\n'));
        return body + SIGNATURE + key.sign(clusterName + "\n" + body) + "\n";
    }

    static Reading read(Object stored, ClusterKey key, String clusterName) {
        if (stored == null) return new Absent();
        if (!(stored instanceof String text)) return new Rejected(TableRejection.NOT_TEXT);
        int at = text.lastIndexOf("\n" + SIGNATURE);
        if (at < 0) return new Rejected(TableRejection.UNSIGNED);
        String body = text.substring(0, at + 1);
        String signature = text.substring(at + 1 + SIGNATURE.length()).strip();
        if (!key.verifies(clusterName + "\n" + body, signature)) return new Rejected(TableRejection.FORGED);
        try {
            return new Verified(parse(body));
        } catch (RuntimeException e) {
            return new Rejected(TableRejection.OTHER_FORMAT);
        }
    }

    /** Parses what a holder of the key signed: a failure means another version, not an attack. */
    private static SignedShardTable parse(String body) {
        String[] lines = body.split("\n");
        if (lines.length < 3 || !lines[0].equals(HEADER) || !lines[1].startsWith("sequence ")
                || !lines[2].startsWith("members ")) {
            throw new IllegalStateException("a signed shard table in another format: " + lines[0]);
        }
        long sequence = Long.parseLong(lines[1].substring("sequence ".length()));
        String members = lines[2].substring("members ".length());
        SortedSet<String> memberSet = members.isEmpty() ? new TreeSet<>() : new TreeSet<>(Arrays.asList(members.split(",")));
        Map<ShardId, String> owners = new TreeMap<>();
        Map<ShardId, String> incoming = new TreeMap<>();
        for (int i = 3; i < lines.length; i++) {
            boolean moving = lines[i].startsWith(INCOMING);
            String line = moving ? lines[i].substring(INCOMING.length()) : lines[i];
            int eq = line.lastIndexOf('=');
            (moving ? incoming : owners).put(ShardId.parse(line.substring(0, eq)), line.substring(eq + 1));
        }
        return new SignedShardTable(sequence, memberSet, ShardAssignment.of(owners), ShardAssignment.of(incoming));
    }
}
