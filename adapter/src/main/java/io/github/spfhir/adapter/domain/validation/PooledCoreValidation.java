package io.github.spfhir.adapter.domain.validation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.exceptions.FHIRFormatError;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.Element;
import org.hl7.fhir.r5.elementmodel.JsonParser;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.r5.elementmodel.ParserBase.ValidationPolicy;
import org.hl7.fhir.r5.elementmodel.ValidatedFragment;
import org.hl7.fhir.r5.extensions.ExtensionDefinitions;
import org.hl7.fhir.r5.extensions.ExtensionUtilities;
import org.hl7.fhir.r5.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r5.model.ElementDefinition.ElementDefinitionConstraintComponent;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.model.StructureDefinition.StructureDefinitionKind;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManager;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.hl7.fhir.validation.instance.utils.ValidationContext;

import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.IValidationContext;

/**
 * What HAPI's {@code ValidatorWrapper} does for a resource encoded as JSON, with one difference: the core
 * {@link InstanceValidator}, and the element-model JSON parser it would build for each call, are taken from a pool
 * instead of being built for every validation.
 *
 * <p>Why: each costs HAPI a {@code ProfileUtilities} and {@code FHIRPathEngine}s, each of which walks every loaded
 * StructureDefinition (and the parser rebuilds its set of resource type names); under load that was about 12% of
 * the adapter's CPU, for work that gives the same result every time. The core validator is made for reuse (its
 * {@code validate} starts by clearing its per-run state) but is not thread-safe, hence the pool: a validator
 * serves one validation at a time.
 *
 * <p>Each validator is retired after {@value #USES_BEFORE_RETIRING} validations, because HAPI's
 * {@code CodingsObserver} inside it keeps every coding it has seen and nothing clears it; a validator whose
 * validation threw is retired at once. A validation never waits for a validator: when all are busy a new one is
 * built, and at most {@code maxIdle} are kept.
 *
 * <p>Two upstream methods are overridden, each for a measured cost and each giving upstream's answer: the parser
 * remembers each resource type's definition ({@code ResourceJsonParser}), and the validator does not evaluate a
 * best-practice invariant whose finding would be dropped ({@code CoreInstanceValidator}).
 *
 * <p>The settings are HAPI's (read from the {@link FhirInstanceValidator} this serves, as the wrapper does), and the
 * messages the same: {@code FhirProfileValidatorTest} compares them with HAPI's own path. Re-check this class
 * against {@code ValidatorWrapper} when upgrading HAPI.
 */
final class PooledCoreValidation {

    static final int USES_BEFORE_RETIRING = 1000;

    private final FhirInstanceValidator settings;
    private final Supplier<WorkerContextValidationSupportAdapter> workerContext;
    private final GenericObjectPool<CoreValidator> pool;

    /**
     * @param settings the HAPI validator module whose settings apply (read when each core validator is built)
     * @param workerContext HAPI's worker context of that module
     * @param maxIdle how many idle core validators to keep
     */
    PooledCoreValidation(FhirInstanceValidator settings, Supplier<WorkerContextValidationSupportAdapter> workerContext,
            int maxIdle) {
        this.settings = settings;
        this.workerContext = workerContext;
        GenericObjectPoolConfig<CoreValidator> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(-1); // never make a validation wait
        config.setMaxIdle(maxIdle);
        config.setBlockWhenExhausted(false);
        config.setJmxEnabled(false);
        this.pool = new GenericObjectPool<>(new CoreValidatorFactory(), config);
    }

    /** Whether {@link #validate} can take this validation; HAPI's own path takes the rest (XML strings). */
    static boolean handles(IValidationContext<?> context) {
        return context.getResourceAsStringEncoding() == EncodingEnum.JSON && context.getResource() instanceof IBaseResource;
    }

    /** The core validator's messages for a validation {@link #handles} takes, as HAPI's wrapper returns them. */
    List<ValidationMessage> validate(IValidationContext<?> context) {
        CoreValidator core = borrow();
        boolean healthy = false;
        try {
            List<ValidationMessage> messages = core.validate(context);
            healthy = true;
            return messages;
        } finally {
            if (healthy && core.uses < USES_BEFORE_RETIRING) {
                pool.returnObject(core);
            } else {
                retire(core);
            }
        }
    }

    /** How many core validators have been built so far. */
    long built() {
        return pool.getCreatedCount();
    }

    private CoreValidator borrow() {
        try {
            return pool.borrowObject();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot build a FHIR core validator", e);
        }
    }

    private void retire(CoreValidator core) {
        try {
            pool.invalidateObject(core);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot retire a FHIR core validator", e);
        }
    }

    /** One core validator and how many validations it has done. */
    private final class CoreValidator {

        private final WorkerContextValidationSupportAdapter worker;
        private final InstanceValidator validator;
        /** Reused too: building one costs another FHIRPathEngine and ProfileUtilities (see the class comment). */
        private final JsonParser parser;
        private int uses;

        CoreValidator() {
            this.worker = workerContext.get();
            // as ValidatorWrapper.buildInstanceValidator and the settings ValidatorWrapper.validate applies
            this.validator = new CoreInstanceValidator(worker,
                    settings.getHostApplicationServices() != null ? settings.getHostApplicationServices()
                            : new FhirInstanceValidator.NullEvaluationContext(),
                    new XVerExtensionManagerOld(worker), new ValidatorSession(), new ValidatorSettings());
            validator.setAssumeValidRestReferences(settings.isAssumeValidRestReferences());
            validator.setBestPracticeWarningLevel(settings.getBestPracticeWarningLevel());
            validator.setAnyExtensionsAllowed(settings.isAnyExtensionsAllowed());
            validator.setResourceIdRule(IdStatus.OPTIONAL);
            validator.setNoTerminologyChecks(settings.isNoTerminologyChecks());
            validator.setErrorForUnknownProfiles(settings.isErrorForUnknownProfiles());
            // fixed in HAPI: it interacts with UnknownCodeSystemWarningValidationSupport
            validator.setUnknownCodeSystemsCauseErrors(true);
            validator.getExtensionDomains().addAll(settings.getExtensionDomains());
            validator.setFetcher(settings.getValidatorResourceFetcher());
            validator.setPolicyAdvisor(settings.getValidatorPolicyAdvisor());
            validator.setNoExtensibleWarnings(settings.isNoExtensibleWarnings());
            validator.setNoBindingMsgSuppressed(settings.isNoBindingMsgSuppressed());
            validator.setAllowExamples(settings.isAllowExamples());
            validator.setAllowXsiLocation(true);
            // as InstanceValidator.validate(..., InputStream, JSON, ...) sets up the parser it builds per call
            this.parser = new ResourceJsonParser(worker, new ProfileUtilities(worker, null, null, validator.getFHIRPathEngine()));
            parser.setupValidation(ValidationPolicy.EVERYTHING);
            parser.setAllowComments(false); // the core validator's default; HAPI does not change it
        }

        List<ValidationMessage> validate(IValidationContext<?> context) {
            uses++;
            List<ValidationMessage> messages = new ArrayList<>();
            List<StructureDefinition> profiles = new ArrayList<>();
            List<ValidationMessage> unknownProfiles = new ArrayList<>();
            for (String url : context.getOptions().getProfiles()) {
                addProfile(url, profiles, unknownProfiles);
            }
            // ValidatorWrapper reads meta.profile from the JSON text; the resource says the same, without a parse
            for (IPrimitiveType<String> declared : ((IBaseResource) context.getResource()).getMeta().getProfile()) {
                if (declared.getValue() != null) {
                    addProfile(declared.getValue(), profiles, unknownProfiles);
                }
            }
            byte[] json = context.getResourceAsString().getBytes(StandardCharsets.UTF_8);
            Object appContext = context.getOptions().getAppContext();
            if (profiles.stream().anyMatch(profile -> profile.getKind() == StructureDefinitionKind.LOGICAL)) {
                // the core validator's own entry, which sets its parser up for a logical model
                validator.validate(appContext, messages, new ByteArrayInputStream(json), FhirFormat.JSON, profiles);
            } else {
                // what that entry does for FHIR JSON (which has no implied profile), with this validator's parser
                List<ValidatedFragment> fragments;
                try {
                    fragments = parser.parse(new ByteArrayInputStream(json));
                } catch (IOException e) {
                    throw new FHIRException(e);
                }
                for (ValidatedFragment fragment : fragments) {
                    if (fragment.getElement() != null) {
                        validator.validate(appContext, fragment.getErrors(), fragments.size() > 1 ? fragment.path() : null,
                                fragment.getElement(), profiles);
                    }
                    messages.addAll(fragment.getErrors());
                }
            }
            if (profiles.isEmpty()) {
                messages.addAll(unknownProfiles);
            }
            // the same filtering and levelling as ValidatorWrapper
            messages.removeIf(message -> message.getMessageId() != null
                    && (message.getMessageId().equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
                            || (message.getMessageId().equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND)
                                    && message.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes"))));
            for (ValidationMessage message : messages) {
                if (I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(message.getMessageId())
                        || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(message.getMessageId())) {
                    message.setLevel(settings.isErrorForUnknownProfiles() ? ValidationMessage.IssueSeverity.ERROR
                            : ValidationMessage.IssueSeverity.WARNING);
                }
            }
            return messages;
        }

        private void addProfile(String url, List<StructureDefinition> profiles, List<ValidationMessage> unknown) {
            StructureDefinition profile;
            try {
                profile = worker.fetchResource(StructureDefinition.class, url);
            } catch (FHIRException unloadable) {
                return; // as ValidatorWrapper: skipped, no message
            }
            if (profile != null) {
                profiles.add(profile);
            } else {
                ValidationMessage message = new ValidationMessage();
                message.setMessageId(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN);
                message.setLevel(ValidationMessage.IssueSeverity.ERROR);
                message.setMessage("Invalid profile. Failed to retrieve profile with url=" + url);
                unknown.add(message);
            }
        }
    }

    /**
     * The core validator, not evaluating a best-practice invariant when best-practice findings are ignored.
     * Upstream evaluates it and then drops the result; one of them, R4's {@code dom-6} ("should have narrative",
     * rewritten by the core to {@code (%rootResource != $this) or text.`div`.exists()}), compares the whole resource
     * with itself, element by element: about 8% of each validation, for a result that is thrown away. Upstream's
     * answer for such an invariant under {@link BestPracticeWarningLevel#Ignore} is "no message, no failure",
     * which is what this returns.
     */
    private static final class CoreInstanceValidator extends InstanceValidator {

        CoreInstanceValidator(IWorkerContext worker, IHostApplicationServices hostServices,
                XVerExtensionManager xverManager, ValidatorSession session, ValidatorSettings settings) {
            super(worker, hostServices, xverManager, session, settings);
        }

        @Override
        public boolean checkInvariant(ValidationContext valContext, List<ValidationMessage> errors, String path,
                StructureDefinition profile, Element resource, Element element, ElementDefinitionConstraintComponent inv) {
            if (getBestPracticeWarningLevel() == BestPracticeWarningLevel.Ignore && isBestPractice(inv)) {
                return true;
            }
            return super.checkInvariant(valContext, errors, path, profile, resource, element, inv);
        }

        /** As upstream's test in {@code checkInvariant}. */
        private static boolean isBestPractice(ElementDefinitionConstraintComponent inv) {
            return inv.hasExtension(ExtensionDefinitions.EXT_BEST_PRACTICE)
                    && ExtensionUtilities.readBooleanExtension(inv, ExtensionDefinitions.EXT_BEST_PRACTICE);
        }
    }

    /**
     * The core's element-model JSON parser, remembering the StructureDefinition of each resource type it has met.
     * Upstream finds it by walking every loaded StructureDefinition and building a URL string for each, for every
     * resource it parses: about 4% of the adapter's CPU under load. A core type is asked for by its URL, so that
     * one outside {@link CoreDefinitions}' start-up subset is found too. The answer for a type name never changes
     * (a conformance resource is never replaced once loaded); a name with no definition is not remembered, and gets
     * upstream's error each time.
     */
    private static final class ResourceJsonParser extends JsonParser {

        private final Map<String, StructureDefinition> definitionsByTypeName = new HashMap<>();

        ResourceJsonParser(IWorkerContext worker, ProfileUtilities profileUtilities) {
            super(worker, profileUtilities);
        }

        @Override
        protected StructureDefinition getDefinition(List<ValidationMessage> errors, int line, int col, String name)
                throws FHIRFormatError {
            StructureDefinition known = definitionsByTypeName.get(name);
            if (known != null) {
                return known;
            }
            // Upstream's first match is the loaded definition whose URL is the core base plus the name. Asked by
            // URL, CoreDefinitions also finds a core type outside its start-up subset (upstream's walk of the
            // loaded list would not, and would refuse a message Bundle as "unknown resource name").
            StructureDefinition core = name == null ? null
                    : context.fetchResource(StructureDefinition.class, CoreDefinitions.STRUCTURE_DEFINITION_BASE + name);
            if (core != null && core.hasSnapshot()) {
                definitionsByTypeName.put(name, core);
                return core;
            }
            StructureDefinition found = super.getDefinition(errors, line, col, name);
            if (found != null) {
                definitionsByTypeName.put(name, found);
            }
            return found;
        }
    }

    private final class CoreValidatorFactory extends BasePooledObjectFactory<CoreValidator> {

        @Override
        public CoreValidator create() {
            return new CoreValidator();
        }

        @Override
        public PooledObject<CoreValidator> wrap(CoreValidator validator) {
            return new DefaultPooledObject<>(validator);
        }
    }
}
