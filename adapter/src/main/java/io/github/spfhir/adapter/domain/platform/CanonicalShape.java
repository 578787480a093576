package io.github.spfhir.adapter.domain.platform;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonPointer;

import io.github.spfhir.adapter.domain.referral.Referral;

/**
 * The shape of the canonical {@link Referral} as the mapping files see it: its JSON tree (Jackson serialises a
 * record by its component names), derived by reflection from the record components so it cannot drift from
 * the model. Mapping files are checked against it when they are loaded, so a misspelt {@code source} fails at
 * start-up instead of silently leaving a field out of every payload.
 *
 * @param kind       scalar, object or array
 * @param javaType   the simple name of the Java type, for messages and the README table
 * @param properties an object's members, in record-component order (empty otherwise)
 * @param element    an array's element shape (null otherwise)
 */
public record CanonicalShape(Kind kind, String javaType, Map<String, CanonicalShape> properties, CanonicalShape element) {

    /** What a node of the canonical JSON tree holds. */
    public enum Kind { SCALAR, OBJECT, ARRAY }

    /** The shape of the whole canonical {@link Referral}. */
    public static final CanonicalShape REFERRAL = of(Referral.class);

    public CanonicalShape {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** The shape of a Java type: records are objects, collections arrays, everything else a scalar. */
    public static CanonicalShape of(Type type) {
        if (type instanceof ParameterizedType parameterized
                && parameterized.getRawType() instanceof Class<?> raw
                && Collection.class.isAssignableFrom(raw)) {
            CanonicalShape element = of(parameterized.getActualTypeArguments()[0]);
            return new CanonicalShape(Kind.ARRAY, "array of " + element.javaType, Map.of(), element);
        }
        if (type instanceof Class<?> cls && cls.isRecord()) {
            Map<String, CanonicalShape> properties = new LinkedHashMap<>();
            for (RecordComponent component : cls.getRecordComponents()) {
                properties.put(component.getName(), of(component.getGenericType()));
            }
            return new CanonicalShape(Kind.OBJECT, cls.getSimpleName(), properties, null);
        }
        String name = type instanceof Class<?> cls ? cls.getSimpleName() : type.getTypeName();
        return new CanonicalShape(Kind.SCALAR, name, Map.of(), null);
    }

    /**
     * The shape a JSON Pointer leads to from this one, or empty if the canonical model has no such path. An
     * array is entered with an index segment ({@code /notes/0}); the empty pointer is this shape itself.
     */
    public Optional<CanonicalShape> resolve(JsonPointer pointer) {
        CanonicalShape current = this;
        JsonPointer rest = pointer;
        while (!rest.matches()) {
            switch (current.kind) {
                case OBJECT -> current = current.properties.get(rest.getMatchingProperty());
                case ARRAY -> current = rest.getMatchingIndex() >= 0 ? current.element : null;
                case SCALAR -> current = null;
            }
            if (current == null) {
                return Optional.empty();
            }
            rest = rest.tail();
        }
        return Optional.of(current);
    }

    /**
     * Every path below this shape, depth first in component order, with {@code *} standing for an array index
     * (the element of an array of scalars is not listed on its own): {@code /referralId}, ..., {@code /reasons},
     * {@code /reasons/*}{@code /system}, ..., {@code /notes}.
     */
    public List<String> paths() {
        List<String> paths = new ArrayList<>();
        collect("", paths);
        return paths;
    }

    private void collect(String prefix, List<String> paths) {
        if (kind == Kind.OBJECT) {
            properties.forEach((name, child) -> {
                String path = prefix + "/" + name;
                paths.add(path);
                child.collect(path, paths);
            });
        } else if (kind == Kind.ARRAY) {
            element.collect(prefix + "/*", paths);
        }
    }
}
