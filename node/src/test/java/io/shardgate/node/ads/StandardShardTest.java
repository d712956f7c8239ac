package io.shardgate.node.ads;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of the ADS tests that run against a fresh server serving {@link StandardShard}. */
abstract class StandardShardTest {
    protected AdsTestBed bed;

    @BeforeEach
    void serveStandardShard() throws Exception {
        bed = new AdsTestBed();
        StandardShard.serve(bed);
    }

    @AfterEach
    void closeBed() throws Exception {
        bed.close();
    }
}
