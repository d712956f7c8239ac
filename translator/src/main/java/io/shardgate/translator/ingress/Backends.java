package io.shardgate.translator.ingress;

import io.shardgate.translator.Reasons;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.ClusterKey.UpstreamProtocol;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.ServiceInput;
import java.util.Objects;
import java.util.Optional;

/** Resolves an Ingress backend to the cluster of a Service port, by port name or number. */
final class Backends {

    /** The cluster, or why the route cannot reach one. */
    sealed interface Resolution {
        record Found(ClusterKey cluster) implements Resolution {}

        record Missing(String reason, String message) implements Resolution {}
    }

    private Backends() {}

    static Resolution resolve(IngressInput.Backend backend, String namespace, UpstreamProtocol protocol, DomainInputs inputs) {
        if (backend.resourceKind() != null) {
            return new Resolution.Missing(Reasons.UNSUPPORTED_BACKEND,
                    "resource backend of kind " + backend.resourceKind() + " is not supported; the route answers 503");
        }
        String service = namespace + "/" + backend.serviceName();
        Optional<ServiceInput> found = inputs.service(namespace, backend.serviceName());
        if (found.isEmpty()) {
            return new Resolution.Missing(Reasons.SERVICE_NOT_FOUND, "Service " + service + " not found; the route answers 503");
        }
        ServiceInput svc = found.get();
        if ("ExternalName".equals(svc.type())) {
            return new Resolution.Missing(Reasons.UNSUPPORTED_BACKEND,
                    "Service " + service + " is of type ExternalName, which is not supported; the route answers 503");
        }
        Optional<ServiceInput.Port> port = svc.ports().stream()
                .filter(p -> backend.portName() != null
                        ? backend.portName().equals(p.name())
                        : Objects.equals(backend.portNumber(), p.port()))
                .findFirst();
        if (port.isEmpty()) {
            String wanted = backend.portName() != null ? "named " + backend.portName() : String.valueOf(backend.portNumber());
            return new Resolution.Missing(Reasons.PORT_NOT_FOUND,
                    "Service " + service + " has no port " + wanted + "; the route answers 503");
        }
        return new Resolution.Found(new ClusterKey(namespace, backend.serviceName(), port.get().port(), protocol));
    }
}
