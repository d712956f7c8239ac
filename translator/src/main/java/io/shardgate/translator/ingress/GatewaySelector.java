package io.shardgate.translator.ingress;

import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.IngressInput;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Which Shardgate gateway (IngressClass) an Ingress belongs to. */
public final class GatewaySelector {

    private GatewaySelector() {}

    public static Optional<String> gatewayOf(IngressInput ingress, Collection<IngressClassInput> classes) {
        String className = ingress.ingressClassName();
        if (className != null) {
            return classes.stream()
                    .filter(c -> c.name().equals(className) && c.isShardgate())
                    .map(IngressClassInput::name)
                    .findFirst();
        }
        List<IngressClassInput> defaults = classes.stream()
                .filter(c -> c.isShardgate() && c.isDefault())
                .toList();
        // Two default classes is a misconfiguration Kubernetes' admission refuses too: claim nothing.
        return defaults.size() == 1 ? Optional.of(defaults.get(0).name()) : Optional.empty();
    }
}
