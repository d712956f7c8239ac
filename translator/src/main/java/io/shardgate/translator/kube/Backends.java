package io.shardgate.translator.kube;

import io.shardgate.translator.Reasons;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.ClusterKey.UpstreamProtocol;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.input.ServiceInput;
import java.util.Objects;
import java.util.Optional;

/** Resolves a Service backend, by port name or number, to the cluster of that Service port. */
public final class Backends {

    /** The cluster, or why the route cannot reach one. */
    public sealed interface Resolution {
        record Found(ClusterKey cluster) implements Resolution {}

        record Missing(String reason, String message) implements Resolution {}
    }

    private Backends() {}

    /**
     * @param portNumber the port by number, or null when {@code portName} names it
     * @param consequence what happens while the backend cannot be reached, the end of every message ("the route
     *                    answers 503")
     */
    public static Resolution resolve(String namespace, String serviceName, Integer portNumber, String portName,
            UpstreamProtocol protocol, DomainInputs inputs, String consequence) {
        String service = namespace + "/" + serviceName;
        Optional<ServiceInput> found = inputs.service(namespace, serviceName);
        if (found.isEmpty()) {
            return new Resolution.Missing(Reasons.SERVICE_NOT_FOUND, "Service " + service + " not found; " + consequence);
        }
        ServiceInput svc = found.get();
        if ("ExternalName".equals(svc.type())) {
            return new Resolution.Missing(Reasons.UNSUPPORTED_BACKEND,
                    "Service " + service + " is of type ExternalName, which is not supported; " + consequence);
        }
        Optional<ServiceInput.Port> port = svc.ports().stream()
                .filter(p -> portName != null ? portName.equals(p.name()) : Objects.equals(portNumber, p.port()))
                .findFirst();
        if (port.isEmpty()) {
            String wanted = portName != null ? "named " + portName : String.valueOf(portNumber);
            return new Resolution.Missing(Reasons.PORT_NOT_FOUND,
                    "Service " + service + " has no port " + wanted + "; " + consequence);
        }
        return new Resolution.Found(new ClusterKey(namespace, serviceName, port.get().port(), protocol));
    }
}
