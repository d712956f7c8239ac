package io.shardgate.node.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardgate.node.testing.Conditions;
import io.shardgate.node.testing.RecordingSink;
import io.shardgate.node.testing.RecordingSink.Deleted;
import io.shardgate.node.testing.RecordingSink.Delivery;
import io.shardgate.node.testing.RecordingSink.Synced;
import io.shardgate.node.testing.RecordingSink.Upserted;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.ServiceInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
    @TempDir
    Path dir;

    private final RecordingSink sink = new RecordingSink();
    private FileSource source;

    @AfterEach
    void stop() {
        if (source != null) source.close();
    }

    @Test
    void readsEveryManifestFileThenSynced() throws IOException {
        write("b.yml", ingressClass("shardgate"));
        write("a.yaml", service("web", 80) + "---\n# only a comment\n---\n" + service("api", 8080));
        write("notes.txt", service("ignored", 1));
        write(".hidden.yaml", service("hidden", 1));
        Files.createDirectory(dir.resolve("sub"));
        write("sub/nested.yaml", service("nested", 1));

        assertThat(start()).containsExactly(
                new Upserted(serviceInput("web", 80)),
                new Upserted(serviceInput("api", 8080)),
                new Upserted(new IngressClassInput("shardgate", "shardgate.io/controller", false, null)),
                new Synced());
    }

    @Test
    void deliversTheDifferenceWhenFilesChange() throws IOException {
        write("a.yaml", service("web", 80) + "---\n" + service("api", 8080));
        write("b.yaml", ingressClass("shardgate"));
        int seen = start().size();

        write("a.yaml", service("web", 81));
        assertThat(sink.awaitCount(seen + 2).subList(seen, seen + 2)).containsExactly(
                new Upserted(serviceInput("web", 81)),
                new Deleted(ObjectRef.of(ObjectRef.Kind.SERVICE, "default", "api")));

        write("c.yaml", service("new", 9000));
        assertThat(sink.next(seen + 2)).isEqualTo(new Upserted(serviceInput("new", 9000)));

        Files.delete(dir.resolve("b.yaml"));
        assertThat(sink.next(seen + 3)).isEqualTo(new Deleted(ObjectRef.of(ObjectRef.Kind.INGRESS_CLASS, "", "shardgate")));

        write("a.yaml", service("web", 81));
        write("c.yaml", service("new", 9001));
        // Rewriting a.yaml unchanged delivered nothing: the next delivery is c.yaml's change.
        assertThat(sink.next(seen + 4)).isEqualTo(new Upserted(serviceInput("new", 9001)));
    }

    @Test
    void aMalformedDocumentAffectsOnlyItself() throws IOException {
        write("a.yaml", service("first", 80)
                + "---\nkind: [unclosed\n"
                + "---\n" + """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: broken}
                spec:
                  rules:
                  - host: a.example.com
                    http:
                      paths:
                      - {path: /, pathType: Prefix, backend: {}}
                """
                + "---\n" + service("last", 81));

        assertThat(start()).containsExactly(
                new Upserted(serviceInput("first", 80)),
                new Upserted(serviceInput("last", 81)),
                new Synced());
    }

    @Test
    void anObjectWhoseDocumentBreaksKeepsItsLastGoodVersion() throws IOException {
        write("a.yaml", service("web", 80));
        int seen = start().size();

        write("a.yaml", service("web", 80).replace("port: 80", "port: eighty") + "---\n" + service("api", 8080));
        write("z.yaml", service("sentinel", 1));
        List<Delivery> deliveries = sink.await("the sentinel", d -> d.contains(new Upserted(serviceInput("sentinel", 1))));

        assertThat(deliveries.subList(seen, deliveries.size())).containsExactly(
                new Upserted(serviceInput("api", 8080)),
                new Upserted(serviceInput("sentinel", 1)));
    }

    @Test
    void aYamlErrorAnywhereInAFileDeletesNothingItDefined() throws IOException {
        write("a.yaml", service("web", 80) + "---\n" + service("api", 8080));
        int seen = start().size();

        // api's document is now unreadable YAML that does not even say which object it is.
        write("a.yaml", service("web", 81) + "---\nkind: [unclosed\n");
        write("z.yaml", service("sentinel", 1));
        List<Delivery> deliveries = sink.await("the sentinel", d -> d.contains(new Upserted(serviceInput("sentinel", 1))));

        assertThat(deliveries.subList(seen, deliveries.size())).containsExactly(
                new Upserted(serviceInput("web", 81)),
                new Upserted(serviceInput("sentinel", 1)));
        assertThat(source.fileProblems()).containsOnlyKeys("a.yaml");

        write("a.yaml", service("web", 81));
        assertThat(sink.next(seen + 2)).isEqualTo(new Deleted(ObjectRef.of(ObjectRef.Kind.SERVICE, "default", "api")));
        assertThat(source.fileProblems()).isEmpty();
    }

    @Test
    void aFileCaughtHalfWrittenInPlaceDeletesNothing() throws IOException {
        write("a.yaml", service("web", 80) + "---\n" + service("api", 8080));
        int seen = start().size();

        // A tool that rewrites the file in place, caught after its first bytes: web's document cut short.
        String whole = service("web", 80) + "---\n" + service("api", 8080);
        Files.writeString(dir.resolve("a.yaml"), whole.substring(0, whole.indexOf("spec:")) + "spec:\n  ports:\n  - name: ht");
        write("z.yaml", service("sentinel", 1));
        List<Delivery> deliveries = sink.await("the sentinel", d -> d.contains(new Upserted(serviceInput("sentinel", 1))));
        assertThat(deliveries.subList(seen, deliveries.size())).containsExactly(new Upserted(serviceInput("sentinel", 1)));

        Files.writeString(dir.resolve("a.yaml"), whole.replace("port: 8080", "port: 8081"));
        assertThat(sink.next(seen + 1)).isEqualTo(new Upserted(serviceInput("api", 8081)));
    }

    @Test
    void skippedDocumentsAndIgnoredKindsAreCounted() throws IOException {
        List<String> skipped = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        write("a.yaml", service("web", 80) + "---\nkind: [unclosed\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n");
        source = new FileSource(dir, skipped::add);
        source.start(sink);
        sink.await("synced", d -> d.contains(new Synced()));
        assertThat(skipped).containsExactlyInAnyOrder(SourceCounters.DOCUMENT_MALFORMED, SourceCounters.KIND_IGNORED);
    }

    @Test
    void theLastFileInNameOrderWinsAndRemovingItFallsBack() throws IOException {
        write("a.yaml", service("web", 80));
        write("b.yaml", service("web", 81));
        assertThat(start()).containsExactly(new Upserted(serviceInput("web", 81)), new Synced());

        Files.delete(dir.resolve("b.yaml"));
        assertThat(sink.next(2)).isEqualTo(new Upserted(serviceInput("web", 80)));

        Files.delete(dir.resolve("a.yaml"));
        assertThat(sink.next(3)).isEqualTo(new Deleted(ObjectRef.of(ObjectRef.Kind.SERVICE, "default", "web")));
    }

    @Test
    void catchingUpHasDeliveredEveryChangeMadeBeforeIt() throws Exception {
        write("a.yaml", service("web", 80));
        start();

        write("a.yaml", service("web", 81) + "---\n" + service("api", 8080));
        source.catchUp().get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(sink.deliveries()).contains(new Upserted(serviceInput("web", 81)), new Upserted(serviceInput("api", 8080)));
        assertThat(sink.deliveries()).filteredOn(d -> d instanceof Synced).hasSize(1);
    }

    @Test
    void theFirstReadTellsTheNewestModificationTimeAsTheWatermark() throws IOException {
        // A node that joins a quiet cluster must be able to show it has read as far as the others without a new change.
        write("a.yaml", service("web", 80));
        write("b.yaml", service("api", 80));
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(dir.resolve("a.yaml"), FileTime.fromMillis(now - 9_000));
        Files.setLastModifiedTime(dir.resolve("b.yaml"), FileTime.fromMillis(now - 7_000));
        Files.setLastModifiedTime(dir, FileTime.fromMillis(now - 8_000));

        start();

        assertThat(sink.awaitWatermark(FileSource.STREAM, p -> p > 0)).isEqualTo(now - 7_000);
    }

    @Test
    void aDeleteAdvancesTheWatermarkOnceDelivered() throws IOException {
        write("a.yaml", service("web", 80));
        write("b.yaml", service("api", 80));
        start();
        long before = sink.awaitWatermark(FileSource.STREAM, p -> p > 0); // told only once the clock is well past it

        Files.delete(dir.resolve("b.yaml"));
        long deletedAt = Files.getLastModifiedTime(dir).toMillis();

        assertThat(deletedAt).isGreaterThan(before);
        assertThat(sink.awaitWatermark(FileSource.STREAM, p -> p >= deletedAt)).isEqualTo(deletedAt);
        assertThat(sink.deliveries()).contains(new Deleted(ObjectRef.of(ObjectRef.Kind.SERVICE, "default", "api")));
    }

    /**
     * A watermark is a promise that every change stamped up to it has been delivered: another node compares it with
     * its own before it hands a shard over. Files are created in the reverse of their name order, so a batch of
     * events reads the newest file first; telling its time then, before the older files are read, breaks the promise.
     */
    @Test
    void aWatermarkNeverClaimsAChangeNotYetDelivered() throws Exception {
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        List<String> broken = new CopyOnWriteArrayList<>();
        AtomicLong told = new AtomicLong();
        AtomicInteger tellings = new AtomicInteger();
        source = new FileSource(dir);
        source.start(new InputSink() {
            @Override
            public void upsert(InputObject object) {
                delivered.add(object.ref().name());
            }

            @Override
            public void delete(ObjectRef ref) {}

            @Override
            public void synced() {}

            @Override
            public void watermark(String stream, long position) {
                tellings.incrementAndGet();
                told.set(position);
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().startsWith("f-")).toList()) {
                        String service = "s" + (9999 - Integer.parseInt(file.getFileName().toString().substring(2, 6)));
                        if (Files.getLastModifiedTime(file).toMillis() <= position && !delivered.contains(service)) {
                            broken.add(file.getFileName() + " stamped by " + position + " but " + service + " not delivered");
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        int count = 200;
        for (int i = 0; i < count; i++) {
            write("f-%04d.yaml".formatted(9999 - i), service("s" + i, 80));
            // Groups of 8 files, a pause longer than the source's quiet time after each: one batch of events per group.
            if (i % 8 == 7) java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FileSource.QUIET_MILLIS * 3 / 2));
        }
        long newest = Files.getLastModifiedTime(dir).toMillis();
        Conditions.awaitDescribed("the watermark reaching the last change", RecordingSink.TIMEOUT, () -> told.get() >= newest,
                () -> "told " + told.get() + ", newest " + newest);

        assertThat(delivered).hasSize(count);
        assertThat(broken).isEmpty();
        assertThat(tellings.get()).as("told along the way, not only at the end").isGreaterThan(1);
    }

    @Test
    void aMissingDirectoryFailsAtStart() {
        source = new FileSource(dir.resolve("absent"));
        assertThatThrownBy(() -> source.start(sink)).isInstanceOf(UncheckedIOException.class).hasMessageContaining("absent");
    }

    private List<Delivery> start() {
        source = new FileSource(dir);
        source.start(sink);
        return sink.await("synced", d -> d.contains(new Synced()));
    }

    /** Writes through a hidden temporary file and a rename, as editors and kubectl-like tools do, so a reader never sees half a file. */
    private void write(String name, String content) throws IOException {
        Path target = dir.resolve(name);
        Path temporary = target.resolveSibling(".tmp-" + target.getFileName());
        Files.writeString(temporary, content);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String service(String name, int port) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %s}
                spec:
                  ports:
                  - name: http
                    port: %d
                """.formatted(name, port);
    }

    private static ServiceInput serviceInput(String name, int port) {
        return new ServiceInput("default", name, "ClusterIP", null, List.of(new ServiceInput.Port("http", port, "TCP", null)));
    }

    private static String ingressClass(String name) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata: {name: %s}
                spec: {controller: shardgate.io/controller}
                """.formatted(name);
    }
}
