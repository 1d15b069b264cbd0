package dev.longtasks.cli.nativeimage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.longtasks.json.Json;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A native image only sees by reflection what its config lists, and Jackson binds records by
 * reflection. This test finds every Jackson-bound class of ours on taskctl's class path (cli and
 * service) and fails when one is missing from cli's reflect-config.json. Jackson-bound means:
 * <ol>
 *   <li>a class carrying a Jackson annotation (on itself, a record component, field, method or constructor);</li>
 *   <li>a record passed as a class literal by a class that calls {@code readValue}/{@code treeToValue}/{@code convertValue};</li>
 *   <li>the deserializers and serializers those name with {@code @JsonDeserialize/@JsonSerialize(using = ...)};</li>
 *   <li>and, transitively, our records used as component or field types of those.</li>
 * </ol>
 */
class ReflectionConfigTest {
    static final String CONFIG = "/META-INF/native-image/dev.longtasks/cli/reflect-config.json";
    static final Set<String> READ_METHODS = Set.of(
            "com.fasterxml.jackson.databind.ObjectMapper.readValue",
            "com.fasterxml.jackson.databind.ObjectMapper.treeToValue",
            "com.fasterxml.jackson.databind.ObjectMapper.convertValue",
            "com.fasterxml.jackson.databind.ObjectReader.readValue");

    @Nested
    class The_reflection_config {
        @Test
        void lists_every_jackson_bound_class_with_constructors_methods_and_fields() throws Exception {
            Set<String> configured = new TreeSet<>();
            try (InputStream in = getClass().getResourceAsStream(CONFIG)) {
                assertThat(in).as(CONFIG).isNotNull();
                for (JsonNode entry : Json.MAPPER.readTree(in)) {
                    assertThat(entry.path("allDeclaredConstructors").asBoolean()
                            && entry.path("allDeclaredMethods").asBoolean()
                            && entry.path("allDeclaredFields").asBoolean())
                            .as("%s registers constructors, methods and fields", entry.path("name").asText()).isTrue();
                    configured.add(entry.path("name").asText());
                }
            }
            Set<String> bound = jacksonBound();
            assertThat(bound).as("the scan finds the task view the CLI reads").contains("dev.longtasks.api.TaskView");
            assertThat(bound).as("the scan follows @JsonDeserialize(using = ...)").contains("dev.longtasks.api.TaskView$RawJson");
            assertThat(configured).as("classes Jackson binds by reflection, missing from " + CONFIG).containsAll(bound);
        }

        @Test
        void names_only_classes_that_exist() throws Exception {
            try (InputStream in = getClass().getResourceAsStream(CONFIG)) {
                for (JsonNode entry : Json.MAPPER.readTree(in)) {
                    assertThat(Class.forName(entry.path("name").asText(), false, getClass().getClassLoader())).isNotNull();
                }
            }
        }
    }

    static Set<String> jacksonBound() throws Exception {
        Deque<Class<?>> todo = new ArrayDeque<>();
        for (String name : ClassFiles.ourClasses()) {
            Class<?> c = Class.forName(name, false, ReflectionConfigTest.class.getClassLoader());
            List<Annotation> annotations = jacksonAnnotations(c);
            if (!annotations.isEmpty()) {
                todo.add(c);
            }
            for (Annotation a : annotations) {
                if (a instanceof JsonDeserialize d) {
                    todo.add(d.using());
                } else if (a instanceof JsonSerialize j) {
                    todo.add(j.using());
                }
            }
            ClassFiles.Refs refs = ClassFiles.refs(name);
            if (refs.methods().stream().anyMatch(READ_METHODS::contains)) {
                for (String ref : refs.classLiterals()) {
                    if (ref.startsWith("dev.longtasks.") && !ref.equals(name)) {
                        Class<?> r = Class.forName(ref, false, ReflectionConfigTest.class.getClassLoader());
                        if (r.isRecord()) {
                            todo.add(r);
                        }
                    }
                }
            }
        }
        Set<String> bound = new TreeSet<>();
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (!c.getName().startsWith("dev.longtasks.") || c.isEnum() || c.isInterface() || !bound.add(c.getName())) {
                continue;
            }
            for (Type t : memberTypes(c)) {
                collect(t, todo);
            }
        }
        return bound;
    }

    private static List<Type> memberTypes(Class<?> c) {
        List<Type> types = new ArrayList<>();
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                types.add(rc.getGenericType());
            }
        } else {
            for (var f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    types.add(f.getGenericType());
                }
            }
        }
        return types;
    }

    private static void collect(Type t, Deque<Class<?>> todo) {
        if (t instanceof Class<?> k) {
            todo.add(k.isArray() ? k.getComponentType() : k);
        } else if (t instanceof ParameterizedType p) {
            for (Type a : p.getActualTypeArguments()) {
                collect(a, todo);
            }
        }
    }

    private static List<Annotation> jacksonAnnotations(Class<?> c) {
        List<AnnotatedElement> elements = new ArrayList<>(List.of(c));
        try {
            elements.addAll(List.of(c.getDeclaredFields()));
            elements.addAll(List.of(c.getDeclaredMethods()));
            elements.addAll(List.of(c.getDeclaredConstructors()));
            if (c.isRecord()) {
                elements.addAll(List.of(c.getRecordComponents()));
            }
        } catch (NoClassDefFoundError e) {
            return List.of(); // a class whose optional dependency is absent here is not on taskctl's path either
        }
        List<Annotation> found = new ArrayList<>();
        for (AnnotatedElement e : elements) {
            for (Annotation a : e.getDeclaredAnnotations()) {
                if (a.annotationType().getName().startsWith("com.fasterxml.jackson.")) {
                    found.add(a);
                }
            }
        }
        return found;
    }
}
