package dev.rabbitworks.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What a service module says about itself: its Maven coordinates (pom.xml), its configuration
 * (src/main/resources/application.properties) and its {@code @ConfigMapping} interfaces (src/main/java).
 */
final class ServiceModule {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:]+)(?::[^}]*)?}");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    /** An interface method without parameters, with the annotations before it. */
    private static final Pattern MAPPING_METHOD = Pattern.compile(
            "((?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*)(?:default\\s+)?[\\w.<>?,\\[\\] ]+\\s+(\\w+)\\(\\)\\s*[;{]");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\\s*\"([^\"]+)\"");
    private static final Pattern WITH_DEFAULT = Pattern.compile("@WithDefault\\(\\s*\"([^\"]*)\"");

    private final String name;
    private final Path dir;
    private Map<String, String> properties;

    ServiceModule(String name) {
        this.name = name;
        this.dir = Project.root().resolve(name);
    }

    String name() {
        return name;
    }

    Path dir() {
        return dir;
    }

    // ---- pom.xml ----

    String artifactId() {
        return pomValue("artifactId", false);
    }

    /** The project version: its own, or the parent's. */
    String version() {
        String own = pomValue("version", false);
        return own != null ? own : pomValue("version", true);
    }

    /**
     * A build-time setting as the Quarkus build sees it: application.properties, else a property of the module's
     * pom, else of the root pom.
     */
    Optional<String> buildProperty(String key) {
        Optional<String> own = property(key);
        if (own.isPresent()) {
            return own;
        }
        for (Path pom : List.of(dir.resolve("pom.xml"), Project.root().resolve("pom.xml"))) {
            Element properties = child(document(pom).getDocumentElement(), "properties");
            Element value = properties == null ? null : child(properties, key);
            if (value != null) {
                return Optional.of(value.getTextContent().trim());
            }
        }
        return Optional.empty();
    }

    private static Document document(Path pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(pom.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom, e);
        }
    }

    private String pomValue(String element, boolean fromParent) {
        Path pom = dir.resolve("pom.xml");
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(pom.toFile());
            Element parent = document.getDocumentElement();
            if (fromParent) {
                parent = child(parent, "parent");
                if (parent == null) {
                    return null;
                }
            }
            Element value = child(parent, element);
            return value == null ? null : value.getTextContent().trim();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom, e);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    // ---- application.properties ----

    Path applicationProperties() {
        return dir.resolve("src/main/resources/application.properties");
    }

    /** The properties of the default (prod) profile: keys without a profile, and %prod. ones. */
    synchronized Map<String, String> properties() {
        if (properties == null) {
            Properties raw = new Properties();
            try {
                raw.load(new StringReader(Project.read(applicationProperties())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> result = new LinkedHashMap<>();
            raw.stringPropertyNames().stream().sorted().forEach(key -> {
                if (!key.startsWith("%")) {
                    result.putIfAbsent(key, raw.getProperty(key));
                }
            });
            raw.stringPropertyNames().stream().filter(key -> key.startsWith("%prod."))
                    .forEach(key -> result.put(key.substring("%prod.".length()), raw.getProperty(key)));
            properties = result;
        }
        return properties;
    }

    Optional<String> property(String key) {
        return Optional.ofNullable(properties().get(key));
    }

    /** A property with its ${...} references to other properties of the file resolved (unresolvable ones kept). */
    Optional<String> resolved(String key) {
        return property(key).map(this::resolve);
    }

    String resolve(String value) {
        String current = value;
        for (int depth = 0; depth < 10; depth++) {
            Matcher matcher = REFERENCE.matcher(current);
            StringBuilder out = new StringBuilder();
            boolean changed = false;
            while (matcher.find()) {
                String replacement = properties().get(matcher.group(1));
                if (replacement == null) {
                    replacement = mappingDefaults().get(matcher.group(1));
                }
                if (replacement != null) {
                    changed = true;
                }
                matcher.appendReplacement(out, Matcher.quoteReplacement(
                        replacement != null ? replacement : matcher.group()));
            }
            matcher.appendTail(out);
            current = out.toString();
            if (!changed) {
                break;
            }
        }
        return current;
    }

    /** Every property name the service reads: keys of the file, ${...} references, @ConfigMapping properties. */
    Set<String> readProperties() {
        Set<String> names = new TreeSet<>(properties().keySet());
        for (String value : properties().values()) {
            Matcher matcher = REFERENCE.matcher(value);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        names.addAll(mappingProperties().keySet());
        return names;
    }

    // ---- @ConfigMapping interfaces ----

    /** The prefixes of the module's @ConfigMapping interfaces. */
    Set<String> mappingPrefixes() {
        Set<String> prefixes = new TreeSet<>();
        for (String source : mappingSources()) {
            Matcher matcher = CONFIG_MAPPING.matcher(source);
            while (matcher.find()) {
                prefixes.add(matcher.group(1));
            }
        }
        return prefixes;
    }

    /** prefix.property-name of every method of the @ConfigMapping interfaces, with its @WithDefault (or null). */
    Map<String, String> mappingProperties() {
        Map<String, String> result = new LinkedHashMap<>();
        for (String source : mappingSources()) {
            Matcher mapping = CONFIG_MAPPING.matcher(source);
            if (!mapping.find()) {
                continue;
            }
            String prefix = mapping.group(1);
            String body = source.substring(source.indexOf('{', mapping.end()) + 1);
            Matcher method = MAPPING_METHOD.matcher(body);
            while (method.find()) {
                String annotations = method.group(1);
                Matcher withName = WITH_NAME.matcher(annotations);
                String property = withName.find() ? withName.group(1) : kebab(method.group(2));
                Matcher withDefault = WITH_DEFAULT.matcher(annotations);
                result.put(prefix + "." + property, withDefault.find() ? withDefault.group(1) : null);
            }
        }
        return result;
    }

    /** The @WithDefault values of the mapping properties (the defaults a service runs with). */
    Map<String, String> mappingDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        mappingProperties().forEach((key, value) -> {
            if (value != null) {
                defaults.put(key, value);
            }
        });
        return defaults;
    }

    /** The @ConfigMapping sources of the module and of the repository's modules it uses (e.g. broker-client). */
    private List<String> mappingSources() {
        List<String> sources = new java.util.ArrayList<>();
        for (Path module : modules(dir, new java.util.LinkedHashSet<>())) {
            Path main = module.resolve("src/main/java");
            if (!Files.isDirectory(main)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(main)) {
                files.filter(f -> f.toString().endsWith(".java")).sorted().map(Project::read)
                        .filter(source -> CONFIG_MAPPING.matcher(source).find()).forEach(sources::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    /** A module and, transitively, the modules of this repository it depends on outside the test scope. */
    private static Set<Path> modules(Path module, Set<Path> found) {
        if (!found.add(module)) {
            return found;
        }
        Element dependencies = child(document(module.resolve("pom.xml")).getDocumentElement(), "dependencies");
        if (dependencies == null) {
            return found;
        }
        for (Node node = dependencies.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (!(node instanceof Element dependency) || !dependency.getTagName().equals("dependency")) {
                continue;
            }
            Element groupId = child(dependency, "groupId");
            Element artifactId = child(dependency, "artifactId");
            Element scope = child(dependency, "scope");
            String group = groupId == null ? "" : groupId.getTextContent().trim();
            boolean ours = group.equals("dev.rabbitworks") || group.equals("${project.groupId}");
            boolean main = scope == null || List.of("compile", "runtime").contains(scope.getTextContent().trim());
            Path other = artifactId == null ? null : Project.root().resolve(artifactId.getTextContent().trim());
            if (ours && main && other != null && Files.isRegularFile(other.resolve("pom.xml"))) {
                modules(other, found);
            }
        }
        return found;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The environment variable MicroProfile Config maps to a property: upper case, anything else than A-Z0-9 to _. */
    static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    @Override
    public String toString() {
        return name;
    }
}
