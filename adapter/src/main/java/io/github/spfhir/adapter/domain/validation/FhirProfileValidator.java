package io.github.spfhir.adapter.domain.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IValidationContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;

/**
 * Validates FHIR R4 resources against the base specification and the profiles we publish in
 * {@code fhir-profiles/}, with one HAPI validation chain built once and shared.
 *
 * <p>Thread-safe: one {@link FhirValidator} serves every caller. The first validation costs seconds (HAPI loads
 * and indexes the core definitions, the subset of them {@link CoreDefinitions} holds, then generates our profiles'
 * snapshots): call {@link #warmUp()} at start-up.
 * Warm, a validation costs 1–2 ms, provided the shadowed {@code org.hl7.fhir.utilities.OIDUtilities} is on the
 * classpath (without it, about 12 ms).
 *
 * <p>No terminology server is used. SNOMED CT and other external code systems (such as BaRS's) are therefore not
 * checked: a code from them gives at most a warning, never an error on that account. Codes of the code systems
 * we publish, and of FHIR's own, are checked in memory.
 *
 * <p>Problems carry the validator's own messages only. Those may quote a coded value or a malformed primitive of
 * the resource as HAPI formats them; this class adds nothing from the resource.
 */
public class FhirProfileValidator {

    /** Where the conformance resources and examples ride on the classpath (see adapter/pom.xml). */
    public static final String PROFILES_ROOT = "fhir-profiles/";

    private static final Logger log = LoggerFactory.getLogger(FhirProfileValidator.class);
    private static final List<String> CONFORMANCE_FOLDERS = List.of("StructureDefinition", "ValueSet", "CodeSystem");
    private static final String EXAMPLES_FOLDER = "examples";

    private final FhirContext fhirContext;
    private final FhirValidator validator;
    private final Set<String> canonicalUrls;
    private final TypedInstanceValidator instanceValidator;

    /** @param fhirContext the application's one shared R4 context */
    public FhirProfileValidator(FhirContext fhirContext) {
        this(fhirContext, true);
    }

    /**
     * @param poolCoreValidators false: HAPI's own path, which builds a core validator for every validation and
     *        looks every conformance resource up afresh (tests compare the two)
     */
    FhirProfileValidator(FhirContext fhirContext, boolean poolCoreValidators) {
        this(fhirContext, poolCoreValidators, new CoreDefinitions(fhirContext));
    }

    /**
     * @param coreDefinitions FHIR R4's core definitions: {@link CoreDefinitions}, or HAPI's
     *        {@link DefaultProfileValidationSupport} (tests compare the two)
     */
    FhirProfileValidator(FhirContext fhirContext, boolean poolCoreValidators, IValidationSupport coreDefinitions) {
        this.fhirContext = fhirContext;
        PrePopulatedValidationSupport published = new PrePopulatedValidationSupport(fhirContext);
        Set<String> urls = new TreeSet<>();
        IParser parser = fhirContext.newJsonParser();
        for (String folder : CONFORMANCE_FOLDERS) {
            for (Resource file : classpathJson(folder)) {
                IBaseResource conformance = parse(parser, file);
                String url = fhirContext.newTerser().getSinglePrimitiveValueOrNull(conformance, "url");
                if (url == null || !urls.add(url)) {
                    throw new IllegalStateException(file.getFilename() + " has no canonical url, or one used twice: " + url);
                }
                published.addResource(conformance);
            }
        }
        this.canonicalUrls = Collections.unmodifiableSet(urls);

        // An unknown code system (SNOMED CT, BaRS, ...) is a warning: nothing can be checked offline.
        UnknownCodeSystemWarningValidationSupport unknownCodeSystems = new UnknownCodeSystemWarningValidationSupport(fhirContext);
        unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        // The chain caches lookups itself (HAPI 8's CachingValidationSupport is deprecated in its favour).
        ValidationSupportChain chain = new ValidationSupportChain(
                published,
                coreDefinitions,
                new SnapshotGeneratingValidationSupport(fhirContext),
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                new CommonCodeSystemsTerminologyService(fhirContext),
                unknownCodeSystems);

        this.instanceValidator = new TypedInstanceValidator(chain, poolCoreValidators);
        // inbound messages may declare UK Core or BaRS profiles we do not hold: a warning, not an error
        instanceValidator.setErrorForUnknownProfiles(false);
        // best-practice constraints (dom-6 "should have narrative") are noise for system-to-system messages
        instanceValidator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        this.validator = fhirContext.newValidator();
        this.validator.registerValidatorModule(instanceValidator);
        log.info("FHIR profile validator ready with {} conformance resources from {}", urls.size(), PROFILES_ROOT);
    }

    /**
     * Validates against the base FHIR R4 definition of its type and every profile it declares in
     * {@code meta.profile}. Profiles we publish are enforced; a declared profile we do not hold gives a warning.
     */
    public ValidationResult validate(IBaseResource resource) {
        return validate(resource, new ValidationOptions());
    }

    /**
     * As {@link #validate(IBaseResource)}, and also against {@code profileUrl} (for example
     * {@link Profiles#SERVICE_REQUEST}) whether or not the resource declares it.
     */
    public ValidationResult validate(IBaseResource resource, String profileUrl) {
        return validate(resource, new ValidationOptions().addProfile(Objects.requireNonNull(profileUrl, "profileUrl")));
    }

    /**
     * Validates every bundled example in {@code fhir-profiles/examples/} once, which pays HAPI's one-off costs
     * (seconds) before the first real message does. An example that fails is logged, not thrown: the tests
     * guard the examples.
     *
     * @return the number of examples validated
     */
    public int warmUp() {
        long start = System.nanoTime();
        List<Resource> examples = classpathJson(EXAMPLES_FOLDER);
        IParser parser = fhirContext.newJsonParser();
        long firstMillis = -1;
        for (Resource file : examples) {
            ValidationResult result = validate(parse(parser, file));
            if (!result.isValid()) {
                log.warn("Bundled example {} fails validation: {}", file.getFilename(), result.errors());
            }
            if (firstMillis < 0) {
                firstMillis = (System.nanoTime() - start) / 1_000_000;
            }
        }
        // the first example pays nearly all of it (loading and indexing the core definitions); the rest, their snapshots
        log.info("FHIR profile validator warmed up on {} examples in {} ms (the first {} ms)", examples.size(),
                (System.nanoTime() - start) / 1_000_000, firstMillis);
        return examples.size();
    }

    /** How many core validators the pool has built so far (0 on HAPI's own path). For tests. */
    long coreValidatorsBuilt() {
        return instanceValidator.pooled == null ? 0 : instanceValidator.pooled.built();
    }

    /** The canonical URLs of the conformance resources loaded from {@code fhir-profiles/}. */
    public Set<String> canonicalUrls() {
        return canonicalUrls;
    }

    private ValidationResult validate(IBaseResource resource, ValidationOptions options) {
        Objects.requireNonNull(resource, "resource");
        CapturedMessages captured = new CapturedMessages();
        var hapiResult = validator.validateWithResult(resource, options.setAppContext(captured));
        List<SingleValidationMessage> hapiMessages = hapiResult.getMessages();
        List<Problem> problems = new ArrayList<>(hapiMessages.size());
        if (captured.messages != null && captured.messages.size() == hapiMessages.size()) {
            // the same messages, before HAPI dropped their issue type
            for (ValidationMessage message : captured.messages) {
                problems.add(toProblem(message));
            }
        } else {
            for (SingleValidationMessage message : hapiMessages) {
                problems.add(toProblem(message));
            }
        }
        return new ValidationResult(problems, captured.json);
    }

    static Problem toProblem(ValidationMessage message) {
        ValidationMessage.IssueSeverity level = message.getLevel() == null ? ValidationMessage.IssueSeverity.ERROR : message.getLevel();
        IssueSeverity severity = switch (level) {
            case FATAL -> IssueSeverity.FATAL;
            case WARNING -> IssueSeverity.WARNING;
            case INFORMATION -> IssueSeverity.INFORMATION;
            default -> IssueSeverity.ERROR;
        };
        return new Problem(severity, issueType(message.getType(), severity), message.getMessage(), expression(message.getLocation()));
    }

    static Problem toProblem(SingleValidationMessage message) {
        ResultSeverityEnum level = message.getSeverity() == null ? ResultSeverityEnum.ERROR : message.getSeverity();
        IssueSeverity severity = switch (level) {
            case FATAL -> IssueSeverity.FATAL;
            case ERROR -> IssueSeverity.ERROR;
            case WARNING -> IssueSeverity.WARNING;
            case INFORMATION -> IssueSeverity.INFORMATION;
        };
        return new Problem(severity, issueType(null, severity), message.getMessage(), expression(message.getLocationString()));
    }

    /** The core validator's issue type as the R4 one; when there is none, invalid for errors, else processing. */
    static IssueType issueType(ValidationMessage.IssueType coreType, IssueSeverity severity) {
        if (coreType != null && coreType != ValidationMessage.IssueType.NULL) {
            try {
                return IssueType.fromCode(coreType.toCode());
            } catch (FHIRException unknownCode) {
                // fall back below
            }
        }
        return severity == IssueSeverity.ERROR || severity == IssueSeverity.FATAL ? IssueType.INVALID : IssueType.PROCESSING;
    }

    private static String expression(String location) {
        return location == null || location.isBlank() ? null : location;
    }

    private static List<Resource> classpathJson(String folder) {
        try {
            Resource[] found = new PathMatchingResourcePatternResolver(FhirProfileValidator.class.getClassLoader())
                    .getResources("classpath*:" + PROFILES_ROOT + folder + "/*.json");
            List<Resource> files = new ArrayList<>(List.of(found));
            files.sort(Comparator.comparing(file -> String.valueOf(file.getFilename())));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + PROFILES_ROOT + folder, e);
        }
    }

    private static IBaseResource parse(IParser parser, Resource file) {
        try (InputStream in = file.getInputStream()) {
            return parser.parseResource(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file.getDescription(), e);
        }
    }

    /** One validation call's core messages, handed over by {@link TypedInstanceValidator}. */
    private static final class CapturedMessages {
        private List<ValidationMessage> messages;
        /** The JSON the core validator read (HAPI encodes a resource once per validation and keeps it). */
        private String json;
    }

    /**
     * HAPI's instance validator, which also hands the core validator's messages to the call's
     * {@link CapturedMessages} (passed in as the validation options' app context), because HAPI's conversion to
     * {@link SingleValidationMessage} drops their issue type. The app context is otherwise only passed back to
     * HAPI's own FHIRPath and policy callbacks, which ignore it.
     */
    private static final class TypedInstanceValidator extends FhirInstanceValidator {

        private final PooledCoreValidation pooled;

        TypedInstanceValidator(IValidationSupport validationSupport, boolean poolCoreValidators) {
            super(validationSupport);
            if (poolCoreValidators) {
                setWrappedWorkerContext(validationSupport, new MemoisingWorkerContext(validationSupport));
                this.pooled = new PooledCoreValidation(this, this::provideWorkerContext, 2 * Runtime.getRuntime().availableProcessors());
            } else {
                this.pooled = null; // HAPI's own path, untouched: what the pooled path is compared with
            }
        }

        @Override
        protected List<ValidationMessage> validate(IValidationContext<?> validationContext) {
            List<ValidationMessage> messages = pooled != null && PooledCoreValidation.handles(validationContext)
                    ? pooled.validate(validationContext)
                    : super.validate(validationContext);
            if (validationContext.getOptions().getAppContext() instanceof CapturedMessages captured) {
                captured.messages = List.copyOf(messages);
                if (validationContext.getResourceAsStringEncoding() == EncodingEnum.JSON) {
                    captured.json = validationContext.getResourceAsString();
                }
            }
            return messages;
        }
    }
}
