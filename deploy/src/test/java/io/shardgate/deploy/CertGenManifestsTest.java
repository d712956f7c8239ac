package io.shardgate.deploy;

import static io.shardgate.deploy.Manifests.K8S;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.shardgate.node.certgen.CertGen;
import io.shardgate.node.certgen.CertGenOptions;
import io.shardgate.node.testing.KubeMock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * certgen's Job and CronJob (deploy/k8s/certgen) issue exactly the Secrets cert-manager's Certificates would and
 * the pods mount, for the gateways the IngressClasses declare, and their Role grants exactly the calls certgen
 * makes against fabric8's mock API server, which records them (a first run creating, a later one renewing).
 */
class CertGenManifestsTest {
    private static final Path CERTGEN = K8S.resolve("certgen");

    static List<HasMetadata> certgenObjects() {
        return Manifests.all().stream().filter(d -> d.file().startsWith(CERTGEN)).map(Manifests.Doc::object).toList();
    }

    static List<GenericKubernetesResource> certManagerObjects() {
        return Manifests.all().stream().filter(d -> d.file().startsWith(K8S.resolve("cert-manager")))
                .map(d -> (GenericKubernetesResource) d.object()).toList();
    }

    private static <T extends HasMetadata> T one(Class<T> type) {
        return certgenObjects().stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    private static List<PodSpec> pods() {
        return List.of(one(Job.class).getSpec().getTemplate().getSpec(),
                one(CronJob.class).getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
    }

    /** certgen's flags as the Job gives them, in the overlay's namespace. */
    private static CertGenOptions options(PodSpec pod) {
        Container c = pod.getContainers().get(0);
        assertThat(c.getArgs().get(0)).as("the node image's entry point, told to run certgen").isEqualTo("certgen");
        assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("POD_NAMESPACE")
                && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.namespace"));
        return CertGenOptions.parse(c.getArgs().subList(1, c.getArgs().size()).toArray(String[]::new),
                Map.of("POD_NAMESPACE", Manifests.overlayNamespace()));
    }

    private static Set<String> issued(CertGenOptions options) {
        Set<String> names = new TreeSet<>(List.of(CertGen.CA_SECRET, CertGen.NODE_SECRET));
        options.gateways().forEach(g -> names.add(CertGen.gatewaySecret(g)));
        return names;
    }

    @Test
    void theJobsIssueWhatCertManagerWouldForEveryGatewayAndWhatThePodsMount() {
        Set<String> gateways = Manifests.all().stream().map(Manifests.Doc::object).filter(IngressClass.class::isInstance)
                .map(o -> o.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> fromCertManager = certManagerObjects().stream().filter(o -> o.getKind().equals("Certificate"))
                .map(o -> (String) o.get("spec", "secretName")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> mounted = new TreeSet<>();
        Manifests.all().stream().map(Manifests.Doc::object).forEach(o -> {
            PodSpec pod = o instanceof StatefulSet s ? s.getSpec().getTemplate().getSpec()
                    : o instanceof Deployment d ? d.getSpec().getTemplate().getSpec() : null;
            if (pod == null) return;
            for (Volume v : pod.getVolumes()) {
                if (v.getSecret() != null) mounted.add(v.getSecret().getSecretName());
                if (v.getProjected() != null) v.getProjected().getSources().stream().filter(s -> s.getSecret() != null)
                        .forEach(s -> mounted.add(s.getSecret().getName()));
            }
        });
        for (PodSpec pod : pods()) {
            CertGenOptions options = options(pod);
            assertThat(options.gateways()).containsExactlyInAnyOrderElementsOf(gateways);
            assertThat(issued(options)).isEqualTo(fromCertManager)
                    .containsAll(mounted.stream().filter(n -> n.endsWith("-tls")).toList());
            assertThat(pod.getServiceAccountName()).isEqualTo(one(RoleBinding.class).getSubjects().get(0).getName());
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(pod.getContainers().get(0).getImage()).isEqualTo(Manifests.nodeContainer(
                    Manifests.one(StatefulSet.class, "shardgate")).getImage());
        }
        assertThat(mounted).as("the node's and the gateway's Secrets").contains(CertGen.NODE_SECRET, CertGen.gatewaySecret("public"));
        Role role = one(Role.class);
        Set<String> issued = issued(options(pods().get(0)));
        assertThat(role.getRules()).filteredOn(r -> r.getVerbs().contains("get")).singleElement()
                .satisfies(r -> assertThat(new TreeSet<>(r.getResourceNames())).isEqualTo(issued));
        assertThat(one(CronJob.class).getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    }

    @Test
    void theRoleGrantsExactlyTheCallsCertgenMakes() throws Exception {
        Path log = Path.of("target", "certgen-requests.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        CertGenOptions options = options(pods().get(0));
        try (KubeMock mock = KubeMock.start(log);
             KubernetesClient api = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(mock.url())
                     .withOauthToken("test").build()).build()) {
            new CertGen(api, options, Clock.systemUTC()).run();
            Instant due = Instant.now().plus(options.validity()).minus(options.renewBefore()).plus(Duration.ofDays(1));
            List<CertGen.Result> renewal = new CertGen(api, options, Clock.fixed(due, ZoneOffset.UTC)).run();
            assertThat(renewal).extracting(CertGen.Result::outcome).contains(CertGen.Outcome.RENEWED);
        }
        Set<String> made = new TreeSet<>();
        for (String line : Files.readAllLines(log)) {
            if (!line.endsWith(" test")) continue;
            RbacCoverageTest.Call call = RbacCoverageTest.call(line.substring(0, line.length() - " test".length()));
            assertThat(call.namespace()).as(line).isEqualTo(options.namespace());
            String name = line.replaceAll("^\\S+ [^?]*/secrets/?([^/?\\s]*).*$", "$1");
            made.add(call.rule() + (name.isEmpty() ? "" : " " + name));
        }
        Set<String> granted = new TreeSet<>();
        for (PolicyRule rule : one(Role.class).getRules()) {
            for (String verb : rule.getVerbs()) {
                for (String resource : rule.getResources()) {
                    String base = rule.getApiGroups().get(0) + " " + resource + " " + verb;
                    if (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()) granted.add(base);
                    else rule.getResourceNames().forEach(n -> granted.add(base + " " + n));
                }
            }
        }
        assertThat(made).as("calls recorded").contains(" secrets create", " secrets update " + CertGen.NODE_SECRET);
        assertThat(made).isEqualTo(granted);
    }
}
