package io.shardgate.deploy;

import static io.shardgate.deploy.Manifests.K8S;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** Alerts, the dashboard and the autoscaler query only what nodes export, and are well-formed. */
class MonitoringTest {
    private static final Pattern METRIC = Pattern.compile("\\b(?:shardgate|jvm|process|system)_[a-z0-9_]+\\b");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (GenericKubernetesResource r : Manifests.generic("PrometheusRule")) {
            for (Map<String, Object> group : (List<Map<String, Object>>) r.get("spec", "groups")) {
                rules.addAll((List<Map<String, Object>>) group.get("rules"));
            }
        }
        return rules;
    }

    private static JsonNode dashboard() throws Exception {
        return JSON.readTree(K8S.resolve("monitoring/grafana-dashboard.json").toFile());
    }

    private static List<String> dashboardExpressions() throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard().get("panels")) {
            for (JsonNode target : panel.path("targets")) out.add(target.get("expr").asText());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> adapterQueries() {
        ConfigMap adapter = Manifests.one(ConfigMap.class, "shardgate-adapter-rules");
        Map<String, Object> config = new Yaml().load(adapter.getData().get("config.yaml"));
        List<String> out = new ArrayList<>();
        for (Map<String, Object> rule : (List<Map<String, Object>>) config.get("rules")) {
            out.add((String) rule.get("seriesQuery"));
            out.add((String) rule.get("metricsQuery"));
        }
        return out;
    }

    @Test
    void alertsDashboardAndAutoscalerQueryOnlyMetricsNodesExport() throws Exception {
        List<String> expressions = new ArrayList<>();
        rules().forEach(r -> expressions.add((String) r.get("expr")));
        expressions.addAll(dashboardExpressions());
        expressions.addAll(adapterQueries());
        Set<String> used = new TreeSet<>();
        for (String expr : expressions) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) used.add(m.group());
        }
        assertThat(used).as("metrics queried").hasSizeGreaterThan(10);

        Set<String> fromSource = NodeMetrics.fromSource();
        assertThat(used.stream().filter(n -> n.startsWith("shardgate_"))).allSatisfy(n -> assertThat(fromSource).contains(n));
        Optional<Set<String>> scraped = NodeMetrics.fromScrape();
        if (scraped.isPresent()) {
            // The JVM's meters come from Micrometer's binders, not our sources: only a real scrape knows them.
            assertThat(used.stream().filter(n -> !n.startsWith("shardgate_"))).allSatisfy(n -> assertThat(scraped.get()).contains(n));
            // And the source reading misses nothing a real node serves.
            assertThat(fromSource).containsAll(scraped.get().stream().filter(n -> n.startsWith("shardgate_")).toList());
        }
    }

    @Test
    void theSourceReadingNamesMetricsAsPrometheusDoes() {
        Set<String> names = NodeMetrics.fromSource();
        assertThat(names).contains("shardgate_ready", "shardgate_ads_nacks_total", "shardgate_translation_duration_seconds_bucket",
                "shardgate_ads_push_size_bytes_sum", "shardgate_shard_domains");
        assertThat(names).as("no histogram is published for ACK latency")
                .doesNotContain("shardgate_ads_ack_latency_seconds_bucket", "shardgate_ready_total");
    }

    @Test
    void everyAlertIsNamedRatedAndExplained() {
        List<Map<String, Object>> rules = rules();
        assertThat(rules).hasSizeGreaterThan(5);
        Set<String> names = new HashSet<>();
        for (Map<String, Object> rule : rules) {
            assertThat(rule.keySet()).as("%s", rule).isSubsetOf("alert", "expr", "for", "labels", "annotations");
            String alert = (String) rule.get("alert");
            assertThat(alert).matches("Shardgate[A-Z][A-Za-z]+");
            assertThat(names.add(alert)).as("unique alert %s", alert).isTrue();
            @SuppressWarnings("unchecked")
            Map<String, String> labels = (Map<String, String>) rule.get("labels");
            assertThat(labels.get("severity")).as(alert).isIn("critical", "warning", "info");
            @SuppressWarnings("unchecked")
            Map<String, String> annotations = (Map<String, String>) rule.get("annotations");
            assertThat(annotations.get("summary")).as(alert).isNotBlank();
            if (rule.containsKey("for")) assertThat((String) rule.get("for")).matches("\\d+[smh]");
        }
    }

    @Test
    void alertsOnScrapeHealthNameTheJobTheServiceMonitorCreates() {
        GenericKubernetesResource monitor = Manifests.generic("ServiceMonitor").get(0);
        @SuppressWarnings("unchecked")
        Map<String, String> selector = (Map<String, String>) monitor.get("spec", "selector", "matchLabels");
        List<Service> scraped = Manifests.ofType(Service.class).stream()
                .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
        assertThat(scraped).hasSize(1);
        Service service = scraped.get(0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) monitor.get("spec", "endpoints");
        assertThat(endpoints).allSatisfy(e -> {
            assertThat(service.getSpec().getPorts()).anyMatch(p -> p.getName().equals(e.get("port")));
            assertThat(e.get("path")).isEqualTo("/metrics");
        });
        // prometheus-operator's job label is the Service's name unless the ServiceMonitor sets jobLabel.
        assertThat(monitor.get("spec", "jobLabel") == null).isTrue();
        List<String> jobs = new ArrayList<>();
        for (Map<String, Object> rule : rules()) {
            Matcher m = Pattern.compile("job=\"([^\"]+)\"").matcher((String) rule.get("expr"));
            while (m.find()) jobs.add(m.group(1));
        }
        assertThat(jobs).isNotEmpty().allSatisfy(job -> assertThat(job).isEqualTo(service.getMetadata().getName()));
    }

    /** promtool (Debian's prometheus package; .ci/run installs it) parses every expression and rule. */
    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Assumptions.assumeTrue(Tools.onPath("promtool"), "promtool not installed");
        for (GenericKubernetesResource r : Manifests.generic("PrometheusRule")) {
            Path file = tmp.resolve(r.getMetadata().getName() + ".rules.yaml");
            Files.writeString(file, new Yaml().dump(r.get("spec")));
            Tools.Result result = Tools.run(List.of("promtool", "check", "rules", file.toString()), 30, TimeUnit.SECONDS);
            assertThat(result.exit()).as(result.out()).isZero();
            assertThat(result.out()).contains("SUCCESS: " + rules().size() + " rules found");
        }
    }

    @Test
    void theDashboardIsAGrafanaDashboardOnAPrometheusDatasourceVariable() throws Exception {
        JsonNode d = dashboard();
        assertThat(d.get("uid").asText()).isNotBlank();
        assertThat(d.get("title").asText()).isNotBlank();
        JsonNode variable = d.get("templating").get("list").get(0);
        assertThat(variable.get("type").asText()).isEqualTo("datasource");
        assertThat(variable.get("query").asText()).isEqualTo("prometheus");
        String datasource = "${" + variable.get("name").asText() + "}";
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : d.get("panels")) {
            assertThat(panel.get("title").asText()).isNotBlank();
            assertThat(ids.add(panel.get("id").asInt())).as("unique panel id").isTrue();
            assertThat(panel.get("datasource").get("uid").asText()).isEqualTo(datasource);
            assertThat(panel.get("targets")).isNotEmpty();
            for (JsonNode target : panel.get("targets")) assertThat(target.get("expr").asText()).isNotBlank();
        }
        assertThat(ids).hasSizeGreaterThan(8);
    }

    @Test
    void theAutoscalerTargetsTheNodesOnTheDomainCountTheSizingRuleNames() {
        ConfigMap adapter = Manifests.one(ConfigMap.class, "shardgate-adapter-rules");
        HorizontalPodAutoscaler hpa = Manifests.one(HorizontalPodAutoscaler.class, "shardgate");
        var metric = hpa.getSpec().getMetrics().get(0);
        assertThat(metric.getType()).isEqualTo("Pods");
        assertThat(adapter.getData().get("config.yaml")).contains("as: \"" + metric.getPods().getMetric().getName() + "\"");
        assertThat(adapterQueries()).anyMatch(q -> q.contains("shardgate_shard_domains"));
        StatefulSet nodes = Manifests.one(StatefulSet.class, hpa.getSpec().getScaleTargetRef().getName());
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo(nodes.getKind());
        assertThat(hpa.getSpec().getMinReplicas()).isLessThanOrEqualTo(nodes.getSpec().getReplicas());
        int shards = Manifests.ofType(IngressClass.class).stream()
                .mapToInt(c -> Integer.parseInt(c.getMetadata().getAnnotations().get("shardgate.io/shards"))).sum();
        assertThat(hpa.getSpec().getMaxReplicas()).as("a node beyond the shard count would own nothing").isLessThanOrEqualTo(shards);
        int perNode = Integer.parseInt(metric.getPods().getTarget().getAverageValue().getAmount());
        assertThat(Manifests.read(Manifests.ROOT.resolve("docs/operations.md")))
                .as("operations.md states the sizing rule the autoscaler uses")
                .contains(String.format(java.util.Locale.ROOT, "%,d domains per node", perNode));
    }
}
