package io.shardgate.node.ads;

import com.google.protobuf.ByteString;
import io.shardgate.node.ads.ClientSnapshot.TypeSnapshot;
import io.shardgate.node.store.ShardStore;
import io.shardgate.translator.resource.ContentHash;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One stream's view of one resource type, the same for SotW and Delta: what the client subscribed to, what it
 * holds (as far as its ACKs and NACKs tell), what it rejected, and which names may have changed since the
 * last response. {@link #collect} turns that into the next response's {@link ChangeSet}.
 *
 * <p>Work is proportional to what changed: the subscription remembers the store sequence it last looked at
 * and asks the store's change log for the names changed since. Everything is compared only when the
 * subscription starts, when the wildcard is turned on, or when the log no longer reaches back that far.
 *
 * <p>Confined to its stream's event loop; not thread-safe.
 */
final class TypeSubscription {
    static final String WILDCARD = "*";

    private final ResourceType type;
    private final ResponseStyle style;

    private boolean requested;
    private boolean wildcard;
    private final Set<String> names = new HashSet<>();
    /** The last SotW request's names as sent (immutable: a parsed protobuf list). */
    private List<String> lastRequestedNames = List.of();

    /** What the client holds: the resource last accepted, or (Delta reconnect) a body-less stand-in with its version. */
    private final Map<String, XdsResource> held = new HashMap<>();
    private long heldSetHash;
    /** Versions the client rejected, never sent to it again. */
    private final Map<String, Long> rejected = new HashMap<>();

    /** Above this many names, a working set is replaced rather than cleared ({@link #emptied}). */
    private static final int SMALL_SET = 64;
    private Set<String> dirty = new HashSet<>();
    private Set<String> absentToAnnounce = new HashSet<>();
    private boolean compareEverything = true;
    private long seenSequence;
    private boolean mustRespond;

    private InFlight inFlight;
    private long workSinceNanos;

    private long responsesSent;
    private long nacks;
    private String lastSentVersion = "";
    private String lastSentNonce = "";
    private String lastAckedVersion = "";
    private String lastNackError = "";

    private record InFlight(String nonce, String version, ChangeSet changes, long sentAtNanos) {}

    TypeSubscription(ResourceType type, ResponseStyle style) {
        this.type = type;
        this.style = style;
    }

    ResourceType type() {
        return type;
    }

    ResponseStyle style() {
        return style;
    }

    // ---- subscription changes ----

    /**
     * SotW: a request names the complete set wanted; an empty set is the wildcard for LDS and CDS. The first
     * request and every request that adds names (or the wildcard) get a response, even an empty one; a request
     * that only drops names needs none. {@code requestedNames} is kept: the caller must not change it.
     */
    void replaceNames(List<String> requestedNames) {
        boolean first = !requested;
        // An ACK repeats the previous request's list; comparing lists is far cheaper than building a set of
        // thousands of names on every ACK of every client.
        if (!first && requestedNames.equals(lastRequestedNames)) return;
        lastRequestedNames = requestedNames;
        requested = true;
        boolean all = (requestedNames.contains(WILDCARD) && wildcardAllowed())
                || (requestedNames.isEmpty() && type.isWildcard());
        Set<String> wanted = new HashSet<>(requestedNames);
        wanted.remove(WILDCARD);
        if (!first && all == wildcard && wanted.equals(names)) return;

        List<String> gone = new ArrayList<>();
        for (String name : names) {
            if (!wanted.contains(name)) gone.add(name);
        }
        names.removeAll(gone);
        boolean grew = first || (all && !wildcard);
        for (String name : wanted) {
            if (names.add(name)) {
                dirty.add(name);
                grew = true;
            }
        }
        setWildcard(all);
        gone.forEach(this::forgetIfUnsubscribed);
        if (grew) mustRespond = true;
    }

    /**
     * Delta: names added to and removed from the subscription ({@code "*"} is the wildcard; an empty first
     * request for LDS or CDS is the legacy wildcard). On the first request for the type, {@code clientHas}
     * (initial_resource_versions) says what a reconnecting client already holds: those are not sent again if
     * unchanged, and reported removed if gone.
     */
    void subscribe(Collection<String> add, Collection<String> remove, Map<String, String> clientHas) {
        boolean first = !requested;
        requested = true;
        boolean all = wildcard || (first && add.isEmpty() && type.isWildcard())
                || (add.contains(WILDCARD) && wildcardAllowed());
        if (remove.contains(WILDCARD)) all = false;

        for (String name : remove) names.remove(name);
        for (String name : add) {
            if (name.equals(WILDCARD)) continue;
            if (!names.add(name)) forget(name); // subscribing again asks for the resource again
            dirty.add(name);
            absentToAnnounce.add(name);
        }
        setWildcard(all);
        remove.forEach(this::forgetIfUnsubscribed);

        if (!first) return;
        for (Map.Entry<String, String> has : clientHas.entrySet()) {
            if (isSubscribed(has.getKey())) hold(versionOnly(has.getKey(), has.getValue()));
        }
        // A fresh client waits for a first LDS/CDS response even when it is empty; a reconnecting one does not.
        mustRespond = wildcard && clientHas.isEmpty();
    }

    /**
     * Secrets are given by name only: a stream gets a key only by naming a Secret its own shard's listeners
     * reference (the shard store holds no other), never by asking for everything.
     */
    private boolean wildcardAllowed() {
        return type != ResourceType.SECRET;
    }

    private void setWildcard(boolean all) {
        if (all == wildcard) return;
        wildcard = all;
        if (all) {
            compareEverything = true;
        } else {
            new ArrayList<>(held.keySet()).forEach(this::forgetIfUnsubscribed);
        }
    }

    /** Names subscribed explicitly (the wildcard not counted). */
    int subscribedNames() {
        return names.size();
    }

    private boolean isSubscribed(String name) {
        return wildcard || names.contains(name);
    }

    private void forgetIfUnsubscribed(String name) {
        if (!isSubscribed(name)) forget(name);
    }

    /**
     * The client dropped the name: it holds nothing for it, and nothing in flight will change that. A version it
     * rejected stays rejected: subscribing again does not bring the same bytes back (a client dropping and
     * re-adding a name in a loop would otherwise have every NACKed response re-sent to it, at the node's cost).
     */
    private void forget(String name) {
        drop(name);
        dirty.remove(name);
        absentToAnnounce.remove(name);
        if (inFlight != null) {
            inFlight.changes.updates().remove(name);
            inFlight.changes.removals().remove(name);
        }
    }

    // ---- producing a response ----

    boolean awaitingAck() {
        return inFlight != null;
    }

    /** When the response awaiting its ACK was sent; only while {@link #awaitingAck()}. */
    long awaitingSinceNanos() {
        return inFlight.sentAtNanos;
    }

    /** Remembers that work may be waiting since {@code nanos} (for the push latency metric). */
    void noteWork(long nanos) {
        if (workSinceNanos == 0) workSinceNanos = nanos;
    }

    long workSinceNanos(long orElse) {
        return workSinceNanos == 0 ? orElse : workSinceNanos;
    }

    /**
     * The next response for this type as of the store's {@code sequence}, or null if there is nothing to send.
     * Must not be called while a response is awaiting its ACK; the caller sends it and calls {@link #sent}.
     */
    ChangeSet collect(ShardStore store, long sequence) {
        Map<String, XdsResource> updates = new HashMap<>();
        Set<String> removals = new HashSet<>();
        for (String name : candidates(store, sequence)) {
            XdsResource current = isSubscribed(name) ? store.get(type, name) : null;
            XdsResource had = held.get(name);
            if (current != null) {
                Long bad = rejected.get(name);
                if (bad != null) {
                    if (bad == current.hash()) continue;
                    rejected.remove(name);
                }
                if (had == null || had.hash() != current.hash()) updates.put(name, current);
            } else {
                rejected.remove(name);
                boolean report = had != null
                        ? style.reportsRemovals
                        : style.announcesAbsent && absentToAnnounce.contains(name) && isSubscribed(name);
                if (report) removals.add(name);
            }
        }
        dirty = emptied(dirty);
        absentToAnnounce = emptied(absentToAnnounce);
        if (updates.isEmpty() && removals.isEmpty() && !mustRespond) {
            workSinceNanos = 0;
            return null;
        }
        return new ChangeSet(updates, removals, setHashAfter(updates, removals));
    }

    /**
     * A HashSet keeps the table it grew to: once it has held a shard's every name (a first response), clearing it and
     * iterating it on every later pass would cost that table's size, not the few names a change dirties.
     */
    private static Set<String> emptied(Set<String> set) {
        if (set.size() > SMALL_SET) return new HashSet<>();
        set.clear();
        return set;
    }

    private Collection<String> candidates(ShardStore store, long sequence) {
        if (!compareEverything && sequence != seenSequence
                && !store.changesSince(type, seenSequence, sequence, dirty::add)) {
            compareEverything = true;
        }
        seenSequence = sequence;
        if (!compareEverything) return dirty;
        compareEverything = false;
        Set<String> all = new HashSet<>(dirty);
        all.addAll(held.keySet());
        all.addAll(names);
        if (wildcard) {
            for (XdsResource r : store.all(type)) all.add(r.name());
        }
        return all;
    }

    private long setHashAfter(Map<String, XdsResource> updates, Set<String> removals) {
        long hash = heldSetHash;
        for (XdsResource update : updates.values()) {
            XdsResource had = held.get(update.name());
            if (had != null) hash -= had.entryHash();
            hash += update.entryHash();
        }
        for (String name : removals) {
            XdsResource had = held.get(name);
            if (had != null) hash -= had.entryHash();
        }
        return hash;
    }

    /** For {@link ResponseStyle#FULL_STATE}: everything the client holds once it applies {@code changes}. */
    List<XdsResource> stateAfter(ChangeSet changes) {
        List<XdsResource> state = new ArrayList<>(held.size() + changes.updates().size());
        for (XdsResource r : held.values()) {
            if (!changes.updates().containsKey(r.name()) && !changes.removals().contains(r.name())) state.add(r);
        }
        state.addAll(changes.updates().values());
        return state;
    }

    void sent(String nonce, String version, ChangeSet changes, long nowNanos) {
        inFlight = new InFlight(nonce, version, changes, nowNanos);
        mustRespond = false;
        workSinceNanos = 0;
        responsesSent++;
        lastSentNonce = nonce;
        lastSentVersion = version;
    }

    // ---- the client's answer ----

    /** True if {@code nonce} is that of the response awaiting an answer (any other is stale: ignored). */
    boolean isAwaiting(String nonce) {
        return inFlight != null && inFlight.nonce.equals(nonce);
    }

    /** The client accepted the response in flight; returns when it was sent. */
    long acknowledge() {
        InFlight answered = inFlight;
        inFlight = null;
        answered.changes.updates().values().forEach(this::hold);
        answered.changes.removals().forEach(this::drop);
        lastAckedVersion = answered.version;
        return answered.sentAtNanos;
    }

    /**
     * The client rejected the response in flight. The resources the message names (all changed ones if it
     * names none) are remembered as rejected at their version and never sent again; the client keeps its
     * previous version of those, applies the rest, and removals happen regardless (as Envoy does).
     *
     * @return the rejected resources, name to version
     */
    Map<String, String> reject(String message) {
        InFlight answered = inFlight;
        inFlight = null;
        nacks++;
        lastNackError = ClientText.escape(message, ClientText.MAX_ERROR_CHARS);
        Map<String, XdsResource> updates = answered.changes.updates();
        Set<String> rejectedNames = NackAttribution.rejectedNames(updates.keySet(), message);
        Map<String, String> rejectedVersions = new TreeMap<>();
        for (XdsResource update : updates.values()) {
            if (rejectedNames.contains(update.name())) {
                rejected.put(update.name(), update.hash());
                rejectedVersions.put(update.name(), update.version());
            } else {
                hold(update);
            }
        }
        answered.changes.removals().forEach(this::drop);
        return rejectedVersions;
    }

    // ---- what the client holds ----

    private void hold(XdsResource resource) {
        XdsResource previous = held.put(resource.name(), resource);
        if (previous != null) heldSetHash -= previous.entryHash();
        heldSetHash += resource.entryHash();
    }

    private void drop(String name) {
        XdsResource previous = held.remove(name);
        if (previous != null) heldSetHash -= previous.entryHash();
    }

    /** A resource the client says it has (Delta initial_resource_versions): only its version is known. */
    private XdsResource versionOnly(String name, String version) {
        long hash;
        try {
            hash = Long.parseUnsignedLong(version, 16);
        } catch (NumberFormatException e) {
            hash = ~ContentHash.of(version.getBytes(StandardCharsets.UTF_8)); // not one of ours: will differ
        }
        return new XdsResource(type, name, ByteString.EMPTY, hash);
    }

    TypeSnapshot snapshot() {
        return new TypeSnapshot(wildcard, names.size(), held.size(), lastSentVersion, lastSentNonce, inFlight != null,
                lastAckedVersion, lastNackError, responsesSent, nacks, rejected.size());
    }
}
