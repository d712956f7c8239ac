package io.shardgate.node.engine;

import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.TlsSecretInput;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Custody of TLS key material, with a {@link SecretFetcher}: the node keeps the certificate and key only of
 * Secrets an owned shard serves; of the others the index remembers only that they exist. A domain whose
 * translation needs a withheld Secret (its shard just arrived) waits while the Secret is fetched on this
 * class's own thread, with retries; the result comes back to the engine thread as an input (the Secret
 * restored, or after the last retry, missing), and the domains that looked it up are translated again.
 * Without a fetcher (the file source holds every manifest anyway) nothing is withheld.
 *
 * <p>Threading: every method but the fetch itself runs on the engine thread.
 */
final class SecretCustody implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SecretCustody.class);
    private static final long[] RETRY_DELAYS_MILLIS = {200, 1_000, 3_000};

    private final SecretFetcher fetcher;
    private final Consumer<Consumer<Dirty>> toEngine;
    private final ScheduledExecutorService fetching;
    private final Set<ObjectRef> inFlight = new HashSet<>();
    /** Secrets whose key material may no longer be needed here, looked at at the end of a drain. */
    private final Set<ObjectRef> toReview = new HashSet<>();

    /**
     * @param fetcher  null: keep every Secret's key material
     * @param toEngine runs work on the engine thread at its next drain, with that drain's dirty set
     */
    SecretCustody(SecretFetcher fetcher, Consumer<Consumer<Dirty>> toEngine) {
        this.fetcher = fetcher;
        this.toEngine = toEngine;
        this.fetching = fetcher == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shardgate-secret-fetch");
            t.setDaemon(true);
            return t;
        });
    }

    boolean withholds() {
        return fetcher != null;
    }

    /** Whether some fetch is still under way: domains are waiting for key material. */
    boolean fetching() {
        return !inFlight.isEmpty();
    }

    /** Starts fetching the Secrets not already being fetched. */
    void fetch(Set<ObjectRef> needed, InputIndex index) {
        Set<ObjectRef> fresh = new HashSet<>(needed);
        fresh.removeAll(inFlight);
        if (fresh.isEmpty()) return;
        inFlight.addAll(fresh);
        attempt(Set.copyOf(fresh), 0, index);
    }

    private void attempt(Set<ObjectRef> refs, int attempt, InputIndex index) {
        Runnable fetchOnce = () -> {
            try {
                Map<ObjectRef, TlsSecretInput> fetched = fetcher.fetch(refs);
                log.debug("fetched the key material of {} Secrets", refs.size());
                toEngine.accept(dirty -> restored(refs, fetched, index, dirty));
            } catch (RuntimeException e) {
                if (attempt < RETRY_DELAYS_MILLIS.length) {
                    log.warn("fetching {} Secrets failed (attempt {}): {}", refs.size(), attempt + 1, e.toString());
                    attempt(refs, attempt + 1, index);
                } else {
                    log.error("could not fetch {} Secrets; their domains are served without them until they change", refs.size());
                    toEngine.accept(dirty -> restored(refs, Map.of(), index, dirty));
                }
            }
        };
        try {
            if (attempt == 0) fetching.execute(fetchOnce);
            else fetching.schedule(fetchOnce, RETRY_DELAYS_MILLIS[attempt - 1], TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            log.debug("engine closed; not fetching {} Secrets", refs.size());
        }
    }

    private void restored(Set<ObjectRef> refs, Map<ObjectRef, TlsSecretInput> fetched, InputIndex index, Dirty dirty) {
        inFlight.removeAll(refs);
        refs.forEach(ref -> index.restore(ref, fetched.get(ref), dirty));
        toReview.addAll(refs);
    }

    /** These Secrets changed or lost a user: whether to keep their key material is decided at the end of the drain. */
    void review(Collection<ObjectRef> secrets) {
        if (withholds()) toReview.addAll(secrets);
    }

    /**
     * Drops the key material of reviewed Secrets no owned shard serves. Not before ownership is known
     * ({@code ownershipKnown}): dropping then would mean fetching most of it back.
     */
    void withholdUnused(InputIndex index, Predicate<ObjectRef> served, boolean ownershipKnown) {
        if (!withholds() || !ownershipKnown) return;
        for (ObjectRef ref : toReview) {
            if (!served.test(ref) && !inFlight.contains(ref)) index.withhold(ref);
        }
        toReview.clear();
    }

    @Override
    public void close() {
        if (fetching != null) fetching.shutdownNow();
    }
}
