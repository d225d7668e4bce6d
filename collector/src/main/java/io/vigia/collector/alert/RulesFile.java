package io.vigia.collector.alert;

import io.vigia.codec.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads alerting rules in the layout of a Prometheus rules file, and merges them with the built-in
 * ones: a rule named like a built-in one changes only the fields it gives, and {@code enabled:
 * false} switches it off.
 *
 * <pre>
 * groups:
 *   - name: web
 *     rules:
 *       - alert: HostCpuSaturated        # a built-in rule, retuned
 *         for: 10m
 *       - alert: HostSwapPressure        # switched off
 *         enabled: false
 *       - alert: WebLoadHigh             # a rule of one's own
 *         expr: vigia_host_load5 &gt; 8
 *         clear: 6
 *         for: 5m
 *         hosts: ["web-*"]
 *         labels: {severity: critical, team: web}
 *         annotations:
 *           summary: "{{ $labels.hostname }}: load {{ $value }}"
 * </pre>
 */
final class RulesFile {

  private static final Set<String> RULE_KEYS =
      Set.of("alert", "expr", "for", "clear", "hosts", "labels", "annotations", "enabled");
  private static final Set<String> GROUP_KEYS = Set.of("name", "rules", "interval");

  private final String source;

  private RulesFile(String source) {
    this.source = source;
  }

  /** The built-in rules alone. */
  static List<AlertRule> builtIn() {
    try (InputStream in = RulesFile.class.getResourceAsStream("builtin-rules.yaml")) {
      if (in == null) {
        throw new IllegalStateException("builtin-rules.yaml is missing from the jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new RulesFile("built-in rules").rules(text, List.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (AlertRulesException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * The built-in rules as {@code file} changes them, plus its own.
   *
   * @throws AlertRulesException naming the file, the line and what is wrong
   */
  static List<AlertRule> read(Path file) throws AlertRulesException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AlertRulesException(file + ": cannot read it: " + e.getMessage());
    }
    return parse(file.toString(), text);
  }

  /** {@link #read} of {@code text}, named {@code source} in messages. */
  static List<AlertRule> parse(String source, String text) throws AlertRulesException {
    return new RulesFile(source).rules(text, builtIn());
  }

  private List<AlertRule> rules(String text, List<AlertRule> base) throws AlertRulesException {
    Map<String, AlertRule> rules = new LinkedHashMap<>();
    for (AlertRule rule : base) {
      rules.put(rule.name(), rule);
    }
    Optional<Node> document;
    try {
      document = new Compose(LoadSettings.builder().setLabel(source).build()).composeString(text);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new AlertRulesException(
          source + " line " + line + ": not valid YAML: " + e.getProblem().strip());
    } catch (YamlEngineException e) {
      throw new AlertRulesException(source + ": not valid YAML: " + e.getMessage());
    }
    if (document.isEmpty()) {
      return List.copyOf(rules.values());
    }
    Map<String, Node> top = mapping(document.get(), "the file", Set.of("groups"));
    Node groups = top.get("groups");
    if (groups == null) {
      throw error(document.get(), "the file must have 'groups:', a list of rule groups");
    }
    Set<String> seen = new HashSet<>();
    for (Node groupNode : sequence(groups, "groups")) {
      Map<String, Node> group = mapping(groupNode, "a group", GROUP_KEYS);
      Node ruleList = group.get("rules");
      if (ruleList == null) {
        throw error(groupNode, "a group needs 'rules:', a list of rules");
      }
      for (Node ruleNode : sequence(ruleList, "rules")) {
        Map<String, Node> fields = mapping(ruleNode, "a rule", RULE_KEYS);
        if (fields.containsKey("record")) {
          throw error(ruleNode, "recording rules are not supported, only 'alert:' rules");
        }
        Node nameNode = fields.get("alert");
        if (nameNode == null) {
          throw error(ruleNode, "a rule needs 'alert:', its name");
        }
        String name = scalar(nameNode, "alert");
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw error(nameNode, "the alert name '" + name + "' must be letters, digits and _");
        }
        if (!seen.add(name)) {
          throw error(nameNode, "a second rule named " + name + "; names must be unique");
        }
        AlertRule old = rules.get(name);
        if (fields.containsKey("enabled") && !bool(fields.get("enabled"), "enabled")) {
          rules.remove(name);
          continue;
        }
        rules.put(name, rule(name, old, fields, ruleNode));
      }
    }
    return List.copyOf(rules.values());
  }

  private AlertRule rule(String name, AlertRule old, Map<String, Node> fields, Node ruleNode)
      throws AlertRulesException {
    Node exprNode = fields.get("expr");
    if (exprNode == null && old == null) {
      throw error(ruleNode, name + " is not a built-in rule, so it needs 'expr:'");
    }
    Expr expr;
    if (exprNode != null) {
      try {
        expr = ExprParser.parse(scalar(exprNode, "expr"));
      } catch (IllegalArgumentException e) {
        throw error(exprNode, "expr: " + e.getMessage());
      }
    } else {
      expr = old.expr();
    }
    Duration forDuration = old != null ? old.forDuration() : Duration.ZERO;
    if (fields.containsKey("for")) {
      try {
        forDuration = Durations.parse(scalar(fields.get("for"), "for"));
      } catch (IllegalArgumentException e) {
        throw error(fields.get("for"), "for: " + e.getMessage());
      }
      if (forDuration.isNegative()) {
        throw error(fields.get("for"), "for: must not be negative");
      }
    }
    double clear;
    Node clearNode = fields.get("clear");
    if (clearNode != null) {
      try {
        clear = Double.parseDouble(scalar(clearNode, "clear"));
      } catch (NumberFormatException e) {
        throw error(clearNode, "clear: must be a number");
      }
    } else if (old != null && exprNode == null) {
      clear = old.clear();
    } else {
      clear = expr.threshold();
    }
    Expr.Op op = expr.op();
    if (clearNode != null
        && (op == Expr.Op.EQ
            || op == Expr.Op.NE
            || (op.upward() ? clear > expr.threshold() : clear < expr.threshold()))) {
      throw error(
          clearNode,
          "clear: "
              + (op == Expr.Op.EQ || op == Expr.Op.NE
                  ? "needs a comparison with >, >=, < or <="
                  : "must be on the good side of the threshold "
                      + Template.format(expr.threshold(), null)
                      + " ("
                      + (op.upward() ? "at most" : "at least")
                      + " it)"));
    }
    List<Pattern> hosts = old != null ? old.hosts() : List.of();
    if (fields.containsKey("hosts")) {
      hosts = new ArrayList<>();
      for (Node glob : sequence(fields.get("hosts"), "hosts")) {
        hosts.add(glob(scalar(glob, "hosts")));
      }
    }
    Map<String, String> labels = new LinkedHashMap<>(old != null ? old.labels() : Map.of());
    if (fields.containsKey("labels")) {
      for (Map.Entry<String, Node> e : mapping(fields.get("labels"), "labels", null).entrySet()) {
        if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw error(e.getValue(), "label name '" + e.getKey() + "' must be letters, digits, _");
        }
        labels.put(e.getKey(), scalar(e.getValue(), e.getKey()));
      }
    }
    Node severityNode = fields.containsKey("labels") ? fields.get("labels") : ruleNode;
    try {
      AlertRule.Severity.parse(labels.getOrDefault("severity", "warning"));
    } catch (IllegalArgumentException e) {
      throw error(severityNode, "labels: " + e.getMessage());
    }
    labels.putIfAbsent("severity", "warning");
    Map<String, Template> annotations =
        new LinkedHashMap<>(old != null ? old.annotations() : Map.of());
    if (fields.containsKey("annotations")) {
      for (Map.Entry<String, Node> e :
          mapping(fields.get("annotations"), "annotations", null).entrySet()) {
        try {
          annotations.put(e.getKey(), Template.compile(scalar(e.getValue(), e.getKey())));
        } catch (IllegalArgumentException ex) {
          throw error(e.getValue(), e.getKey() + ": " + ex.getMessage());
        }
      }
    }
    return new AlertRule(
        name,
        expr,
        forDuration,
        clear,
        hosts,
        labels,
        annotations,
        source + " line " + line(ruleNode));
  }

  /** A shell glob ({@code *}, {@code ?}) as a pattern on the whole id or hostname. */
  static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  private Map<String, Node> mapping(Node node, String what, Set<String> allowed)
      throws AlertRulesException {
    if (!(node instanceof MappingNode map)) {
      throw error(node, what + " must be a mapping of keys to values");
    }
    Map<String, Node> fields = new LinkedHashMap<>();
    for (NodeTuple tuple : map.getValue()) {
      String key = scalar(tuple.getKeyNode(), "a key");
      if (allowed != null && !allowed.contains(key) && !key.equals("record")) {
        throw error(
            tuple.getKeyNode(),
            "unknown key '"
                + key
                + "' in "
                + what
                + "; known: "
                + String.join(", ", sorted(allowed)));
      }
      if (fields.put(key, tuple.getValueNode()) != null) {
        throw error(tuple.getKeyNode(), "'" + key + "' is given twice");
      }
    }
    return fields;
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }

  private List<Node> sequence(Node node, String what) throws AlertRulesException {
    if (!(node instanceof SequenceNode list)) {
      throw error(node, what + " must be a list (lines starting with '- ')");
    }
    return list.getValue();
  }

  private String scalar(Node node, String what) throws AlertRulesException {
    if (!(node instanceof ScalarNode scalar)) {
      throw error(node, what + " must be a single value");
    }
    return scalar.getValue();
  }

  private boolean bool(Node node, String what) throws AlertRulesException {
    String value = scalar(node, what);
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw error(node, what + " must be true or false, not '" + value + "'");
    };
  }

  private static int line(Node node) {
    return node.getStartMark().map(Mark::getLine).orElse(-1) + 1;
  }

  private AlertRulesException error(Node node, String message) {
    return new AlertRulesException(source + " line " + line(node) + ": " + message);
  }
}
