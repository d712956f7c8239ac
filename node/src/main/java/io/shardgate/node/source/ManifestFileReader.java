package io.shardgate.node.source;

import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ManifestDecoder;
import io.shardgate.translator.input.ObjectRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads one file of Kubernetes manifests: YAML documents separated by {@code ---} lines, each an object
 * or a {@code kind: List}, decoded by {@link ManifestDecoder}. The file is split into documents before
 * parsing, so a YAML syntax error loses only its own document, not the ones after it. A malformed document
 * is logged with the file, its number and line, and the reason, and counted; the rest of the file is read.
 * Objects of kinds Shardgate does not read are counted too.
 *
 * <p>Not thread-safe (SnakeYAML's parser is not): one reader per thread.
 */
final class ManifestFileReader {
    private static final Logger log = LoggerFactory.getLogger(ManifestFileReader.class);
    /** A document start marker: {@code ---} at column 0, alone or followed by a space and content. */
    private static final Pattern DOCUMENT_START = Pattern.compile("^---(?=\\s|$)", Pattern.MULTILINE);

    private final Yaml yaml;
    private final SourceCounters counters;

    ManifestFileReader(SourceCounters counters) {
        this.counters = counters;
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false); // as the API server's own YAML decoding, so a typo is caught, not silently merged
        options.setCodePointLimit(Integer.MAX_VALUE); // the operator's own files; a kind: List of 100k objects is legitimate
        this.yaml = new Yaml(new SafeConstructor(options));
    }

    /**
     * The objects of one file, keyed by identity in document order (a later document wins a duplicate).
     *
     * @param objects   the objects decoded
     * @param malformed documents that could not be read: the caller keeps what the file defined before rather
     *                  than drop objects over a typo or a file caught half-written
     */
    record Contents(Map<ObjectRef, InputObject> objects, int malformed) {
        static final Contents EMPTY = new Contents(Map.of(), 0);

        boolean complete() {
            return malformed == 0;
        }
    }

    Contents read(Path file) throws IOException {
        return parse(file, Files.readString(file, StandardCharsets.UTF_8));
    }

    Contents parse(Path file, String text) {
        Map<ObjectRef, InputObject> objects = new LinkedHashMap<>();
        int[] malformed = {0};
        LineCounter lines = new LineCounter(text);
        int number = 0;
        int documentStart = 0;
        Matcher marker = DOCUMENT_START.matcher(text);
        while (documentStart >= 0) {
            boolean more = marker.find();
            String document = text.substring(documentStart, more ? marker.start() : text.length());
            if (!document.isBlank()) {
                number++;
                int line = lines.lineAt(documentStart + firstNonBlank(document));
                if (!readDocument(file, number, line, document, objects)) malformed[0]++;
            }
            documentStart = more ? marker.end() : -1;
        }
        return new Contents(objects, malformed[0]);
    }

    /** @return false if the document is malformed */
    private boolean readDocument(Path file, int number, int line, String document, Map<ObjectRef, InputObject> objects) {
        try {
            Object root = yaml.load(document);
            if (root == null) return true; // only comments
            if (!(root instanceof Map<?, ?>)) throw new IllegalArgumentException("expected a mapping (a Kubernetes object)");
            Map<String, Object> manifest = asManifest(root);
            if (!ManifestDecoder.isReadKind(manifest)) counters.skipped(SourceCounters.KIND_IGNORED);
            for (InputObject object : ManifestDecoder.decodeAll(manifest)) {
                if (objects.put(object.ref(), object) != null) {
                    log.warn("{} document {} (line {}): {} is defined twice in this file; the later one wins", file.getFileName(), number, line, object.ref());
                }
            }
            return true;
        } catch (YAMLException | IllegalArgumentException e) {
            log.warn("Skipping {} document {} (line {}): {}", file.getFileName(), number, line, oneLine(e.getMessage()));
            counters.skipped(SourceCounters.DOCUMENT_MALFORMED);
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asManifest(Object root) {
        return (Map<String, Object>) root;
    }

    private static int firstNonBlank(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    /** 1-based line numbers of increasing offsets, counted once over the text. */
    private static final class LineCounter {
        private final String text;
        private int offset;
        private int line = 1;

        LineCounter(String text) {
            this.text = text;
        }

        int lineAt(int target) {
            for (; offset < target; offset++) {
                if (text.charAt(offset) == '\n') line++;
            }
            return line;
        }
    }

    private static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s*\\n\\s*", " ");
    }
}
