package io.shardgate.translator.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Vectors computed with the reference C implementation (libxxhash 0.8.1, through python3-xxhash), seed 0. */
class ContentHashTest {

    private static long xxh64(String ascii) {
        return ContentHash.of(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void matchesReferenceVectorsAcrossEveryInputLengthBranch() {
        assertThat(xxh64("")).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(xxh64("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(xxh64("abc")).isEqualTo(0x44BC2CF5AD770999L);
        assertThat(xxh64("Nobody inspects the spammish repetition")).isEqualTo(0xFBCEA83C8A378BF1L);
        assertThat(xxh64("x".repeat(31))).isEqualTo(0x60DD0D01083B99F0L);
        assertThat(xxh64("y".repeat(32))).isEqualTo(0x64DA1F1D3495CE66L);
        assertThat(xxh64("z".repeat(33))).isEqualTo(0xC5241253C64E0268L);
        byte[] ramp = new byte[512];
        for (int i = 0; i < ramp.length; i++) ramp[i] = (byte) i;
        assertThat(ContentHash.of(ramp)).isEqualTo(0x7B3BFCAAC0348AC0L);
    }

    @Test
    void byteStringAndArrayAgree() {
        byte[] bytes = "Nobody inspects the spammish repetition".getBytes(StandardCharsets.US_ASCII);
        assertThat(ContentHash.of(ByteString.copyFrom(bytes))).isEqualTo(ContentHash.of(bytes));
        // A ByteString made of several pieces reads the same bytes.
        ByteString rope = ByteString.copyFrom(bytes, 0, 10).concat(ByteString.copyFrom(bytes, 10, bytes.length - 10));
        assertThat(ContentHash.of(rope)).isEqualTo(ContentHash.of(bytes));
    }

    @Test
    void hexIsSixteenLowerCaseDigits() {
        assertThat(ContentHash.hex(0xEF46DB3751D8E999L)).isEqualTo("ef46db3751d8e999");
        assertThat(ContentHash.hex(0x1L)).isEqualTo("0000000000000001");
    }
}
