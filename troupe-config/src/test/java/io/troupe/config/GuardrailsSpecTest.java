package io.troupe.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.agent.Permissions;
import io.troupe.api.team.Member;
import io.troupe.api.tool.Sink;
import io.troupe.api.tool.ToolTraits;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code guardrails:} section (run-wide and per agent), tool traits and data scopes read from YAML; each mistake
 * is named at its file:line:column, and the editor schema accepts what the loader accepts.
 */
class GuardrailsSpecTest {

    /** A guarded spec; the tests below break one line of it. Line numbers are on the right. */
    static final String GUARDED = """
            troupe: 1
            name: payments
            models:
              gpt: { provider: openai, model: gpt-4o-mini, api-key: "${OPENAI_API_KEY}" }
            tools:
              files: { workspace: ./work, sinks: { path: { kind: path, root: ./work } } }
              transfer: { sensitive: true, data: [payments] }
              lookup: { data: [customers], sinks: { query: sql } }
            agents:
              - id: clerk
                model: gpt
                instructions: You pay invoices.
                tools: [transfer, lookup]
                permissions: { tools: [transfer, lookup], data: [payments, customers] }
                guardrails:
                  pii: { action: redact, restore-for: [transfer] }
                  max-tool-result: 2000
              - id: reader
                model: gpt
                instructions: You read files.
                tools: [files]
                permissions: { tools: [files] }
            team: { mechanism: sequential, order: [reader, clerk] }
            guardrails:
              pii: { action: block, types: [email, credit-card], where: [tool-results, answers], min-confidence: 0.6 }
              injection: { where: [tool-results, messages], on-suspicious: ask, spotlight: datamark, classifier: false }
              canary: true
              links: { allow: [docs.example.com, "*.troupe.dev"], action: block }
              rate-limits: { model-calls: 30/min, tool-calls: 5/s, tools: { transfer: 3/h } }
              approvals: { tools: [lookup], on-deny: end-run }
              capabilities: deny-by-default
              audit: { key-env: TROUPE_AUDIT_KEY }
            task: Pay the open invoices.
            """; // lines 1 to 33

    private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-test");

    private static ScenarioSpec parse(String yaml) {
        return SpecLoader.parse(yaml, "pay.yaml", ENV::get);
    }

    private static List<String> problems(String yaml) {
        try {
            parse(yaml);
        } catch (SpecException e) {
            return e.problems().stream().map(Problem::render).toList();
        }
        throw new AssertionError("expected a SpecException for:\n" + yaml);
    }

    private static String breaking(String line, String replacement) {
        assertThat(GUARDED).contains(line);
        return GUARDED.replace(line, replacement);
    }

    private static AgentSpec agent(ScenarioSpec spec, String id) {
        return spec.team().members().stream()
                .map(m -> ((Member.Agent) m).spec())
                .filter(a -> a.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void guardedSpec_readsEveryGuardrail_runWideAndPerAgent() {
        GuardrailsConfig guard = parse(GUARDED).guardrails();

        assertThat(guard.enabled()).isTrue();
        assertThat(guard.run().pii())
                .isEqualTo(new GuardrailsConfig.Pii(
                        "block", List.of("EMAIL", "CREDIT_CARD"), List.of("tool-results", "answers"), 0.6, List.of()));
        assertThat(guard.run().injection())
                .isEqualTo(new GuardrailsConfig.Injection(
                        true, List.of("tool-results", "messages"), "block", "ask", "pass", "datamark", false));
        assertThat(guard.run().canary()).isTrue();
        assertThat(guard.run().links())
                .isEqualTo(new GuardrailsConfig.Links(List.of("docs.example.com", "*.troupe.dev"), true));
        assertThat(guard.run().rateLimits())
                .isEqualTo(new GuardrailsConfig.Rates(
                        new GuardrailsConfig.Rate(30, Duration.ofMinutes(1)),
                        new GuardrailsConfig.Rate(5, Duration.ofSeconds(1)),
                        Map.of("transfer", new GuardrailsConfig.Rate(3, Duration.ofHours(1)))));
        assertThat(guard.run().maxToolResult()).isNull();
        assertThat(guard.approvalTools()).containsExactly("lookup");
        assertThat(guard.endRunOnDeny()).isTrue();
        assertThat(guard.denyByDefault()).isTrue();
        assertThat(guard.audit()).isEqualTo(new GuardrailsConfig.Audit(true, "TROUPE_AUDIT_KEY"));
        assertThat(guard.agents()).containsOnlyKeys("clerk");
        GuardrailsConfig.Scope clerk = guard.agents().get("clerk");
        assertThat(clerk.pii())
                .isEqualTo(new GuardrailsConfig.Pii("redact", List.of(), List.of(), null, List.of("transfer")));
        assertThat(clerk.maxToolResult()).isEqualTo(2000);
        assertThat(clerk.injection()).isNull();
    }

    @Test
    void toolTraits_andDataScopes_areRead_andDenyByDefaultGrantsOnlyWhatIsListed() {
        ScenarioSpec spec = parse(GUARDED);

        assertThat(spec.toolTraits())
                .containsEntry("transfer", ToolTraits.NONE.withData("payments").asSensitive())
                .containsEntry("lookup", ToolTraits.NONE.withData("customers").withSink("query", Sink.sql()))
                .containsEntry("files", ToolTraits.NONE.withSink("path", Sink.path("./work")));
        assertThat(spec.tools()).containsOnlyKeys("files");
        assertThat(agent(spec, "clerk").permissions())
                .isEqualTo(new Permissions(Set.of("transfer", "lookup"), Set.of(), Set.of("payments", "customers")));
        assertThat(agent(spec, "reader").permissions()).isEqualTo(new Permissions(Set.of("files"), Set.of(), Set.of()));
    }

    @Test
    void aSpecLoadedFromAFile_keepsItsGuardrailsAndToolTraits(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("pay.yaml"), GUARDED);

        ScenarioSpec spec = SpecLoader.load(file, ENV::get);

        assertThat(spec.guardrails()).isEqualTo(parse(GUARDED).guardrails());
        assertThat(spec.toolTraits()).isEqualTo(parse(GUARDED).toolTraits());
    }

    @Test
    void withoutDenyByDefault_unlistedKindsAreAllowed() {
        ScenarioSpec spec = parse(breaking("  capabilities: deny-by-default\n", ""));

        assertThat(agent(spec, "reader").permissions())
                .isEqualTo(new Permissions(Set.of("files"), Set.of(Permissions.ANY), Set.of(Permissions.ANY)));
    }

    @Test
    void noGuardrailsSection_givesTheDefaults_andOffGivesNone() {
        String plain = GUARDED.substring(0, GUARDED.indexOf("guardrails:\n  pii: { action: block"))
                + "task: Pay the open invoices.\n";
        assertThat(parse(plain).guardrails().enabled()).isTrue();
        assertThat(parse(plain).guardrails().run()).isEqualTo(GuardrailsConfig.Scope.EMPTY);
        assertThat(parse(plain).guardrails().audit()).isEqualTo(GuardrailsConfig.Audit.ON);

        String off = plain.replace("task: Pay", "guardrails: off\ntask: Pay");
        assertThat(parse(off).guardrails().enabled()).isFalse();
        assertThat(parse(off).guardrails().audit().enabled()).isFalse();
    }

    @Test
    void agentGuardrailsOff_turnsEveryTextGuardrailOffForThatAgent() {
        GuardrailsConfig.Scope clerk = parse(breaking("""
                                    guardrails:
                                      pii: { action: redact, restore-for: [transfer] }
                                      max-tool-result: 2000
                                """, "    guardrails: off\n"))
                .guardrails()
                .agents()
                .get("clerk");

        assertThat(clerk.pii().action()).isEqualTo("off");
        assertThat(clerk.injection().enabled()).isFalse();
        assertThat(clerk.canary()).isFalse();
        assertThat(clerk.maxToolResult()).isZero();
    }

    @Test
    void aMisspeltToolInAnApprovalRateLimitRestoreOrPermission_isNamed_notSilentlyGuardingNothing() {
        assertThat(problems(breaking("approvals: { tools: [lookup]", "approvals: { tools: [lokup]")))
                .containsExactly("pay.yaml:30:24: a tool in the approvals of guardrails is 'lokup', which is no tool"
                        + " of this spec — did you mean 'lookup'? defined tools are transfer, lookup, files");
        assertThat(problems(breaking("tools: { transfer: 3/h }", "tools: { transfr: 3/h }")))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("pay.yaml:29:65: a tool in the tools of the rate limits of guardrails is 'transfr'")
                .contains("did you mean 'transfer'?");
        assertThat(problems(breaking("restore-for: [transfer]", "restore-for: [tranfser]")))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("is 'tranfser', which is no tool of this spec — did you mean 'transfer'?");
        assertThat(problems(breaking("permissions: { tools: [files] }", "permissions: { tools: [flies] }")))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("pay.yaml:22:28: a tool in the permissions of agent 'reader' is 'flies'")
                .contains("did you mean 'files'?");
        // A name near no tool of the spec may be a plugin's or an MCP server's: only a run can tell.
        assertThat(parse(breaking("approvals: { tools: [lookup]", "approvals: { tools: [deploy_site]"))
                        .guardrails()
                        .approvalTools())
                .containsExactly("deploy_site");
    }

    @Test
    void badRate_isNamedWithTheFormsThatWork() {
        assertThat(problems(breaking("model-calls: 30/min", "model-calls: thirty a minute")))
                .containsExactly("pay.yaml:29:31: 'model-calls' in the rate limits of guardrails is 'thirty a minute',"
                        + " which is not a rate — write calls per window, like '30/min', '5/s', '100/10m' or '1000/h'");
    }

    @Test
    void unknownPlace_andUnknownResponse_andUnknownPiiType_areEachNamed() {
        assertThat(problems(breaking("where: [tool-results, messages]", "where: [tool-results, prompts]")))
                .containsExactly("pay.yaml:26:38: unknown place in 'where' of the injection guardrail of guardrails"
                        + " — places are task, messages, tool-results");
        assertThat(problems(breaking("on-suspicious: ask", "on-suspicious: shrug")))
                .singleElement()
                .asString()
                .startsWith("pay.yaml:26:")
                .contains("'shrug'")
                .contains("pass, quarantine, ask, block, end-run");
        assertThat(problems(breaking("types: [email, credit-card]", "types: [email, passport]")))
                .containsExactly(
                        "pay.yaml:25:40: unknown PII type 'passport' in the pii guardrail of guardrails — types"
                                + " are email, phone, credit-card, iban, us-ssn, ip-address, person, address, secret");
        assertThat(problems(breaking("types: [email, credit-card]", "types: [emial, credit-card]")))
                .containsExactly("pay.yaml:25:33: unknown PII type 'emial' in the pii guardrail of guardrails — did"
                        + " you mean 'email'? types are email, phone, credit-card, iban, us-ssn, ip-address, person,"
                        + " address, secret");
    }

    @Test
    void auditKeyWrittenAsItsValue_isRefused_withoutEchoingIt() {
        assertThat(problems(breaking("key-env: TROUPE_AUDIT_KEY", "key-env: \"s3cr3t-k3y!\"")))
                .containsExactly("pay.yaml:32:21: 'key-env' in the audit log of guardrails must name an environment"
                        + " variable, like TROUPE_AUDIT_KEY — write the variable's name, not its value: the key is"
                        + " read when the run starts and never stored");
    }

    @Test
    void linkHostWithAScheme_isRefused() {
        assertThat(problems(breaking("allow: [docs.example.com,", "allow: [\"https://docs.example.com\",")))
                .containsExactly("pay.yaml:28:20: an allowed host of the links guardrail of guardrails must be a host"
                        + " name like example.com or *.example.com — write host names only: no scheme, path or port");
    }

    @Test
    void unknownGuardrailKey_underAnAgent_listsTheAgentKeys() {
        assertThat(problems(breaking("      max-tool-result: 2000", "      approvals: { tools: [x] }")))
                .singleElement()
                .asString()
                .startsWith("pay.yaml:17:7: unknown key 'approvals' in the guardrails of agent 'clerk'")
                .contains("pii, injection, canary, links, rate-limits, max-tool-result");
    }

    @Test
    void unknownSink_andTraitsOfAnUnknownKind_areNamed() {
        assertThat(problems(breaking("sinks: { query: sql }", "sinks: { query: mongo }")))
                .singleElement()
                .asString()
                .startsWith("pay.yaml:8:")
                .contains("'mongo'")
                .contains("shell, shell-argument, sql, path, html, url");
        assertThat(problems(breaking(
                        "transfer: { sensitive: true, data: [payments] }", "transfer: { sensitive: yes please }")))
                .singleElement()
                .asString()
                .startsWith("pay.yaml:7:")
                .contains("sensitive");
    }

    @Test
    void guardedSpec_validatesAgainstTheSchema_andABadPlaceIsRejectedThereToo() throws IOException {
        JsonSchema schema = schema();
        YAMLMapper yaml = new YAMLMapper();

        assertThat(schema.validate(yaml.readTree(GUARDED))).isEmpty();
        assertThat(schema.validate(
                        yaml.readTree(breaking("    guardrails:\n      pii:", "    guardrails:\n      xpii:"))))
                .isNotEmpty();
        assertThat(schema.validate(yaml.readTree(breaking("where: [tool-results, messages]", "where: [prompts]"))))
                .isNotEmpty();
        assertThat(schema.validate(yaml.readTree(breaking("model-calls: 30/min", "model-calls: lots"))))
                .isNotEmpty();
    }

    @Test
    void everyPiiTypeTheReaderTakes_validatesAgainstTheSchema_inBothSpellings() throws IOException {
        JsonSchema schema = schema();
        YAMLMapper yaml = new YAMLMapper();
        for (String type : GuardrailScopeReader.PII_TYPES) {
            String kebab = type.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            for (String spelling : List.of(type, kebab)) {
                String spec = breaking("types: [email, credit-card]", "types: [" + spelling + "]");
                assertThat(parse(spec).name()).as(spelling).isEqualTo("payments");
                assertThat(schema.validate(yaml.readTree(spec))).as(spelling).isEmpty();
            }
        }
    }

    /** The editor schema of specs. */
    private static JsonSchema schema() throws IOException {
        try (InputStream in = SpecLoader.class.getResourceAsStream("/troupe-spec.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        }
    }

    private static final String JUDGED = GUARDED.replace(
                    "  gpt: { provider: openai, model: gpt-4o-mini, api-key: \"${OPENAI_API_KEY}\" }\n",
                    "  gpt: { provider: openai, model: gpt-4o-mini, api-key: \"${OPENAI_API_KEY}\" }\n"
                            + "  referee: { provider: openai, model: gpt-4o, api-key: \"${OPENAI_API_KEY}\" }\n")
            .replace(
                    "spotlight: datamark, classifier: false }",
                    "spotlight: datamark, classifier: false,\n"
                            + "                 judge: { model: referee, checks: all, threshold: 0.7, timeout: 20s } }");

    @Test
    void injectionJudge_isRead_withItsModelThresholdAndChecks_andItsModelIsBuilt() throws IOException {
        ScenarioSpec spec = parse(JUDGED);

        assertThat(spec.guardrails().judge())
                .isEqualTo(new GuardrailsConfig.Judge("referee", "all", 0.7, Duration.ofSeconds(20)));
        assertThat(spec.usedModels()).containsExactly("gpt", "referee");
        assertThat(parse(GUARDED).guardrails().judge()).isNull();
        assertThat(parse(GUARDED.replace("classifier: false }", "classifier: false, judge: gpt }"))
                        .guardrails()
                        .judge())
                .isEqualTo(new GuardrailsConfig.Judge("gpt", "uncertain", 0.5, Duration.ofSeconds(30)));
        JsonSchema schema = schema();
        assertThat(schema.validate(new YAMLMapper().readTree(JUDGED))).isEmpty();
        assertThat(schema.validate(new YAMLMapper().readTree(JUDGED.replace("checks: all", "checks: some"))))
                .isNotEmpty();
    }

    @Test
    void injectionJudge_withAnUnknownModel_aBadThreshold_orUnderAnAgent_isRejectedAtItsLine() {
        assertThat(problems(JUDGED.replace("model: referee,", "model: oracle,")))
                .singleElement()
                .asString()
                .contains("the injection judge uses model 'oracle', which is not defined under 'models'");
        assertThat(problems(JUDGED.replace("threshold: 0.7", "threshold: 1.5")))
                .singleElement()
                .asString()
                .contains("'threshold' of the injection judge must be above 0 and at most 1, got 1.5");
        assertThat(problems(JUDGED.replace("checks: all", "checks: some")))
                .singleElement()
                .asString()
                .contains("checks");
        assertThat(problems(GUARDED.replace(
                        "      pii: { action: redact, restore-for: [transfer] }",
                        "      pii: { action: redact, restore-for: [transfer] }\n"
                                + "      injection: { judge: gpt }")))
                .singleElement()
                .asString()
                .startsWith("pay.yaml:17:20:")
                .contains("the injection judge serves the whole run")
                .contains("move 'judge' to the top-level");
    }
}
