package io.shardgate.translator.input;

import io.shardgate.translator.Echo;
import java.util.List;
import java.util.Map;

/**
 * The gateway settings a class carries in its annotations, read alike for IngressClass and GatewayClass, by the
 * file source and the Kubernetes source.
 *
 * @param shards           the {@value ManifestDecoder#SHARDS_ANNOTATION} annotation, or null for the node's default
 * @param clientIdentities the {@value IngressClassInput#CLIENT_IDENTITIES_ANNOTATION} annotation; empty for the default
 * @param layout           the {@value GatewayLayout#ANNOTATION} annotation; {@link GatewayLayout#CLASSIC} when absent
 */
public record ClassAnnotations(Integer shards, List<String> clientIdentities, GatewayLayout layout) {

    /**
     * @param where the object, as error messages name it ("IngressClass public")
     * @throws IllegalArgumentException naming the object and annotation when the shard count is not a positive integer
     *     or the layout is not one Shardgate knows
     */
    public static ClassAnnotations read(String where, Map<String, String> annotations) {
        return new ClassAnnotations(shards(where, annotations.get(ManifestDecoder.SHARDS_ANNOTATION)),
                IngressClassInput.parseIdentities(annotations.get(IngressClassInput.CLIENT_IDENTITIES_ANNOTATION)),
                GatewayLayout.parse(where, annotations.get(GatewayLayout.ANNOTATION)));
    }

    private static Integer shards(String where, String text) {
        if (text == null) return null;
        try {
            int shards = Integer.parseInt(text.trim());
            if (shards >= 1) return shards;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(where + ": metadata.annotations." + ManifestDecoder.SHARDS_ANNOTATION
                + ": expected a positive integer, got " + Echo.quote(text));
    }
}
