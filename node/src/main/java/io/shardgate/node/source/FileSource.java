package io.shardgate.node.source;

import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the manifests in one directory: every {@code *.yaml} and {@code *.yml} file directly in it (not in
 * subdirectories; hidden files are skipped), read by {@link ManifestFileReader}. It delivers every object,
 * then {@link InputSink#synced()}, then watches the directory and re-reads each file that is created,
 * changed or deleted, delivering only the difference: changed objects as upserts, objects gone from the
 * file as deletes.
 *
 * <ul>
 *   <li>A malformed document affects only itself, and a file with one deletes nothing: every object the file
 *       defined before keeps its last good version until the file reads cleanly again, so neither a typo nor a
 *       file caught half-written takes a domain down. The error is logged, counted and listed on
 *       /debug/problems.</li>
 *   <li>Each file is read whole, and only once it is quiet: events are collected until none has come for
 *       {@value #QUIET_MILLIS} ms (a tool that truncates and then writes is read once, after), and a file that
 *       changed while it was read is read again on the event that change raised.</li>
 *   <li>An object defined in several files is served from the last file in name order (with a warning);
 *       removing it there falls back to the next definition instead of deleting it.</li>
 *   <li>A change of a name starting with ".." (Kubernetes swaps ConfigMap volume contents through a
 *       {@code ..data} link) or a lost-events overflow re-reads the whole directory.</li>
 *   <li>How far the directory has been applied is told as the watermark of stream {@value #STREAM}: a modification
 *       time, once no event waits and it is {@value #EVENT_LAG_MILLIS} ms old (docs/sharding.md, "Watermarks").</li>
 * </ul>
 * One daemon thread does all reading and delivering, so no state here is shared.
 */
public final class FileSource implements Source {
    private static final Logger log = LoggerFactory.getLogger(FileSource.class);

    /** How often the watching thread looks for catch-up requests when no file changes. */
    private static final long CATCH_UP_CHECK_MILLIS = 200;
    /** Files are read once no event has come for this long (a burst of writes is one read). */
    static final long QUIET_MILLIS = 100;
    /** ... but never later than this after the first event of a burst. */
    private static final long MAX_QUIET_WAIT_MILLIS = 2_000;

    private final Path directory;
    /** The watermark stream of a manifest directory: it is read as one stream. */
    static final String STREAM = "files";
    /**
     * How long after a change its event may still be on its way: the JDK's watch thread hands inotify's events over,
     * and a file system stamps modification times with a coarse clock. Only a time this far in the past is told as
     * a watermark.
     */
    static final long EVENT_LAG_MILLIS = 200;

    /** Modification time (epoch ms) of the file content read last; 0 for a missing file. Source thread only. */
    private long lastRead;
    /** The newest modification time (of a file read, or of the directory) applied; source thread only. */
    private long appliedMillis;
    /** The watermark told last; source thread only. */
    private long toldMillis;
    private final Queue<CompletableFuture<Void>> catchUpRequests = new ConcurrentLinkedQueue<>();
    private final SourceCounters counters;
    private final ManifestFileReader reader;
    /** Files whose last read found errors, with what was wrong (for /debug/problems). */
    private final Map<String, String> fileProblems = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** Every definition of each object, by file, in file name order: the last one is served. */
    private final Map<ObjectRef, TreeMap<Path, InputObject>> definitions = new HashMap<>();
    /** The objects each file defines, in document order. */
    private final Map<Path, List<ObjectRef>> refsByFile = new HashMap<>();
    /** Off during the first read: the initial state goes out once, each object in its final version. */
    private boolean delivering;
    private WatchService watcher;
    private Thread thread;
    private InputSink sink;

    public FileSource(Path directory) {
        this(directory, SourceCounters.NONE);
    }

    public FileSource(Path directory, SourceCounters counters) {
        this.directory = directory.toAbsolutePath().normalize();
        this.counters = counters;
        this.reader = new ManifestFileReader(counters);
    }

    /** Files whose last read found errors, by name, with what was wrong; their objects keep their last good version. */
    public Map<String, String> fileProblems() {
        return Map.copyOf(fileProblems);
    }

    /** Fails at once if the directory cannot be watched; reading and delivering happen on the source's thread. */
    @Override
    public synchronized void start(InputSink sink) {
        if (thread != null) throw new IllegalStateException("already started");
        this.sink = sink;
        try {
            // Registered before the first read, so no change slips between reading and watching.
            watcher = directory.getFileSystem().newWatchService();
            directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + directory, e);
        }
        thread = new Thread(this::run, "shardgate-file-source");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> log.error("File source on {} stopped by a bug", directory, e));
        thread.start();
    }

    /** Re-reads the whole directory on the source's thread (events may have been coalesced or lost meanwhile). */
    @Override
    public CompletableFuture<Void> catchUp() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        catchUpRequests.add(done);
        return done;
    }

    @Override
    public synchronized void close() {
        if (thread == null) return;
        try {
            watcher.close();
            thread.join(5_000);
        } catch (IOException e) {
            log.warn("Closing the watch on {}: {}", directory, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        noteDirectory();
        rereadAll();
        deliverAll();
        delivering = true;
        log.info("File source synced: {} objects from {} files in {}", definitions.size(), refsByFile.size(), directory);
        sink.synced();
        try {
            WatchKey carried = confirmWatermark();
            while (true) {
                WatchKey key = carried != null ? carried : watcher.poll(CATCH_UP_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                List<CompletableFuture<Void>> catchUps = new ArrayList<>();
                for (CompletableFuture<Void> f; (f = catchUpRequests.poll()) != null; ) catchUps.add(f);
                if (key == null && catchUps.isEmpty()) {
                    carried = confirmWatermark(); // quiet: tell what waited for the clock
                    continue;
                }
                Set<Path> changed = new TreeSet<>();
                boolean everything = !catchUps.isEmpty();
                // Drain whatever else comes until the directory is quiet, so a burst of events costs one read per file.
                long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_QUIET_WAIT_MILLIS);
                for (; key != null; key = System.nanoTime() < giveUp ? watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS) : watcher.poll()) {
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                            everything = true;
                        } else {
                            Path name = (Path) event.context();
                            if (isManifest(name)) changed.add(directory.resolve(name));
                            else if (name.toString().startsWith("..")) everything = true;
                        }
                    }
                    key.reset();
                }
                noteDirectory();
                if (everything) rereadAll();
                else changed.forEach(this::reread);
                catchUps.forEach(f -> f.complete(null));
                carried = confirmWatermark();
            }
        } catch (ClosedWatchServiceException e) {
            log.debug("File source on {} closed", directory);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rereadAll() {
        Set<Path> files = new TreeSet<>(refsByFile.keySet());
        try (Stream<Path> listing = Files.list(directory)) {
            listing.filter(path -> isManifest(path.getFileName()) && Files.isRegularFile(path)).forEach(files::add);
        } catch (IOException e) {
            log.error("Cannot list {}: {}", directory, e.toString());
            return;
        }
        files.forEach(this::reread);
    }

    /** Reads one file again (a missing file has no objects) and delivers what changed. */
    private void reread(Path file) {
        Optional<ManifestFileReader.Contents> read;
        try {
            lastRead = 0;
            read = Files.isRegularFile(file) ? readWhole(file) : Optional.of(ManifestFileReader.Contents.EMPTY);
        } catch (NoSuchFileException e) {
            read = Optional.of(ManifestFileReader.Contents.EMPTY);
        } catch (IOException | RuntimeException e) {
            log.error("Cannot read {}; keeping what it defined before: {}", file.getFileName(), e.toString());
            counters.skipped(SourceCounters.FILE_UNREADABLE);
            fileProblems.put(file.getFileName().toString(), "cannot be read: " + e);
            return;
        }
        if (read.isEmpty()) return; // changed while being read: the event that change raised reads it again
        ManifestFileReader.Contents contents = read.get();
        long readMillis = lastRead;
        Map<ObjectRef, InputObject> now = new LinkedHashMap<>(contents.objects());
        if (contents.complete()) {
            fileProblems.remove(file.getFileName().toString());
        } else {
            for (ObjectRef ref : refsByFile.getOrDefault(file, List.of())) {
                InputObject lastGood = definitions.get(ref).get(file);
                if (lastGood != null) now.putIfAbsent(ref, lastGood);
            }
            fileProblems.put(file.getFileName().toString(), contents.malformed() + " malformed document(s) (see the log);"
                    + " the objects it defined before keep their last good version, nothing of it is deleted");
        }
        Set<ObjectRef> affected = new LinkedHashSet<>(now.keySet());
        affected.addAll(refsByFile.getOrDefault(file, List.of()));
        for (ObjectRef ref : affected) define(ref, file, now.get(ref));
        if (now.isEmpty()) refsByFile.remove(file);
        else refsByFile.put(file, List.copyOf(now.keySet()));
        appliedMillis = Math.max(appliedMillis, readMillis);
    }

    /**
     * Notes the directory's modification time, which creating, deleting or renaming a file sets: read once the
     * events are drained and before the files are, it makes a batch that only deleted files advance the watermark.
     */
    private void noteDirectory() {
        try {
            appliedMillis = Math.max(appliedMillis, Files.getLastModifiedTime(directory).toMillis());
        } catch (IOException e) {
            log.debug("Cannot read the modification time of {}: {}", directory, e.toString());
        }
    }

    /**
     * Tells how far the directory has been applied when no event is waiting: the newest modification time applied,
     * but no later than {@value #EVENT_LAG_MILLIS} ms ago, since every change stamped before that has raised its
     * event and, none waiting, has been read. Returns the event that was waiting instead, for the next batch. So a
     * node's watermark never claims a change it has not delivered, whatever order it read the files in (a file
     * stamped later read before an earlier one's event came).
     */
    private WatchKey confirmWatermark() {
        WatchKey pending = watcher.poll();
        long position = Math.min(appliedMillis, System.currentTimeMillis() - EVENT_LAG_MILLIS);
        if (pending == null && position > toldMillis) {
            sink.watermark(STREAM, position);
            toldMillis = position;
        }
        return pending;
    }

    /** The file's contents if it did not change while being read (same size and modification time before and after). */
    private Optional<ManifestFileReader.Contents> readWhole(Path file) throws IOException {
        BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
        String text = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
        BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
        if (before.size() != after.size() || !before.lastModifiedTime().equals(after.lastModifiedTime())) return Optional.empty();
        lastRead = after.lastModifiedTime().toMillis();
        return Optional.of(reader.parse(file, text));
    }

    /** Sets (or with null, removes) one file's definition of an object, and delivers any change to what is served. */
    private void define(ObjectRef ref, Path file, InputObject object) {
        TreeMap<Path, InputObject> byFile = definitions.computeIfAbsent(ref, r -> new TreeMap<>());
        InputObject before = byFile.isEmpty() ? null : byFile.lastEntry().getValue();
        if (object == null) byFile.remove(file);
        else byFile.put(file, object);
        if (byFile.isEmpty()) {
            definitions.remove(ref);
            if (before != null && delivering) sink.delete(ref);
            return;
        }
        if (object != null && byFile.size() > 1) {
            log.warn("{} is defined in {}; serving the one in {}", ref, fileNames(byFile.keySet()), byFile.lastKey().getFileName());
        }
        InputObject after = byFile.lastEntry().getValue();
        if (!after.equals(before) && delivering) sink.upsert(after);
    }

    /** Every object served, in file name and document order. */
    private void deliverAll() {
        new TreeMap<>(refsByFile).forEach((file, refs) -> {
            for (ObjectRef ref : refs) {
                TreeMap<Path, InputObject> byFile = definitions.get(ref);
                if (byFile.lastKey().equals(file)) sink.upsert(byFile.lastEntry().getValue());
            }
        });
    }

    private static List<String> fileNames(Set<Path> files) {
        return files.stream().map(path -> path.getFileName().toString()).toList();
    }

    private static boolean isManifest(Path name) {
        String s = name.getFileName().toString();
        return !s.startsWith(".") && (s.endsWith(".yaml") || s.endsWith(".yml"));
    }
}
