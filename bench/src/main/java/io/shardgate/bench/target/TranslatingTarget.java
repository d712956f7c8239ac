package io.shardgate.bench.target;

import io.shardgate.node.engine.TranslationEngine;
import io.shardgate.node.store.ShardDirectory;
import java.util.concurrent.atomic.LongAdder;

/**
 * What both targets share: the translation stage in front of them (Shardgate's engine writing shard stores) and
 * the count of responses and bytes their server sent. A subclass adds only its server.
 */
abstract class TranslatingTarget implements Target {
    protected final ShardDirectory directory = new ShardDirectory();
    protected final TranslationEngine engine = TranslationStage.engine(directory);
    private final LongAdder bytes = new LongAdder();
    private final LongAdder responses = new LongAdder();
    private final ServedBytes served;

    TranslatingTarget(ServedBytes served) {
        this.served = served;
    }

    /** The server sent one response of {@code size} serialized bytes. */
    protected final void counted(int size) {
        bytes.add(size);
        responses.increment();
    }

    /** Stops the server; the engine is closed after it in any case. */
    protected abstract void stopServer() throws Exception;

    @Override
    public final TranslationEngine engine() {
        return engine;
    }

    @Override
    public final ShardDirectory directory() {
        return directory;
    }

    @Override
    public final ServedBytes servedBytes() {
        return served;
    }

    @Override
    public final long bytesSent() {
        return bytes.sum();
    }

    @Override
    public final long responsesSent() {
        return responses.sum();
    }

    @Override
    public final void close() {
        try {
            stopServer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(name() + ": the server did not stop", e);
        } finally {
            engine.close();
        }
    }
}
