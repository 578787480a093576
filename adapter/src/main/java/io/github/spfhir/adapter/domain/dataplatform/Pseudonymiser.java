package io.github.spfhir.adapter.domain.dataplatform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MarkdownType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.Profiles;

/**
 * Pseudonymises copies of FHIR resources for a regional data platform: what remains lets commissioners count
 * referrals and outcomes per person without knowing who the person is. Inputs are never changed.
 *
 * <p>On every resource about a person (all but Organization and HealthcareService, which describe services):
 * <ul>
 * <li>the NHS number ({@value Profiles#NHS_NUMBER_SYSTEM}), wherever an Identifier carries it (Patient.identifier,
 *     Reference.identifier), becomes its keyed pseudonym under {@link DataPlatformIds#NHS_NUMBER_PSEUDONYM_SYSTEM}:
 *     the same person gets the same pseudonym, so records still link up, and without the key nobody can test a
 *     guessed NHS number (there are only 10^9 of them: an unkeyed hash would be reversed in seconds);</li>
 * <li>every other identifier <em>of the resource itself</em> is removed (a sender's referral number or a local
 *     patient number leads straight back to an identified record in the sender's system); identifiers in
 *     references stay (an organisation's ODS code, a service's directory id);</li>
 * <li>HumanName, Address, ContactPoint (telecom), Attachment (photo), Annotation (every {@code note}) and
 *     Narrative ({@code text}) are removed wherever they occur, and Patient.contact and Patient.link;</li>
 * <li><b>free text is removed by default</b>: every {@code string} and {@code markdown} element goes, except
 *     Identifier.value, Coding.display and version, Quantity.unit, Reference.reference, linkId and element ids.
 *     That takes in Reference.display (often a person's name), CodeableConcept.text (a reason or need in the
 *     referrer's own words), ServiceRequest.patientInstruction, Task.description, Observation.valueString and
 *     string extensions, without a list of fields that a new resource type would escape. Codes and their
 *     displays stay: they come from code systems, not from a person's pen;</li>
 * <li>what is left empty by that is removed (a CodeableConcept with text only, an extension whose string value went);</li>
 * <li>Patient.birthDate and a date of death are reduced to the year;</li>
 * <li>a Patient's {@code meta.profile} SocialPrescribingPatient (which needs the NHS number) is replaced by
 *     {@link DataPlatformIds#PSEUDONYMISED_PATIENT_PROFILE}, and every pseudonymised resource gets the HL7
 *     security label {@code PSEUDED}.</li>
 * </ul>
 * Resource ids and literal references are left as they are: {@link DataPlatformBundleBuilder} replaces them.
 *
 * <p>The pseudonym is HMAC-SHA256 (JCA {@link Mac}) of the value under the key given, in lowercase hex. The key is
 * the secret that makes re-identification impossible without it: keep it out of logs and source control, and
 * keep it stable (a new key gives every person a new pseudonym). Thread-safe.
 */
public final class Pseudonymiser {

    /** RFC 2104 advises a key at least as long as the hash output: 32 bytes for SHA-256. */
    public static final int MIN_KEY_BYTES = 32;

    private static final String HMAC_SHA256 = "HmacSHA256";
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    /** Resources that describe services, not people: published as they are. */
    private static final Set<String> NOT_ABOUT_A_PERSON = Set.of("Organization", "HealthcareService");

    private final SecretKeySpec key;

    /**
     * @param key the pseudonymisation key, at least {@value #MIN_KEY_BYTES} bytes; copied
     * @throws IllegalArgumentException if the key is shorter
     */
    public Pseudonymiser(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("A pseudonymisation key needs at least " + MIN_KEY_BYTES
                    + " bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key, HMAC_SHA256); // SecretKeySpec keeps its own copy
        newMac(); // fail now, not at the first record, if the JVM has no HmacSHA256
    }

    /** HMAC-SHA256 of {@code value} (UTF-8) under the key, as 64 lowercase hex characters. */
    public String pseudonym(String value) {
        Objects.requireNonNull(value, "value");
        return HexFormat.of().formatHex(newMac().doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** The pseudonym of an NHS number; spaces are ignored, so "943 476 5919" and "9434765919" give the same. */
    public String nhsNumberPseudonym(String nhsNumber) {
        return pseudonym(nhsNumber.replaceAll("\\s", ""));
    }

    /**
     * The pseudonym of one of our records, from its type and id ({@code Patient/<id>}): our ids can be read back
     * at our own FHIR API, so pseudonymised output must not carry them.
     */
    public String recordPseudonym(String resourceType, String id) {
        return pseudonym(resourceType + "/" + id);
    }

    /**
     * A pseudonymised copy of {@code resource} (see the class comment for what changes). Organization and
     * HealthcareService are copied unchanged.
     */
    @SuppressWarnings("unchecked")
    public <T extends Resource> T pseudonymise(T resource) {
        T copy = (T) resource.copy();
        if (!NOT_ABOUT_A_PERSON.contains(copy.fhirType())) {
            scrubResource(copy);
        }
        return copy;
    }

    private void scrubResource(Resource resource) {
        scrubChildren(resource);
        if (resource instanceof Patient patient) {
            reduceDatesToYear(patient);
            patient.getMeta().getProfile().removeIf(profile -> Profiles.PATIENT.equals(profile.getValue()));
            if (!patient.getMeta().hasProfile(DataPlatformIds.PSEUDONYMISED_PATIENT_PROFILE)) {
                patient.getMeta().addProfile(DataPlatformIds.PSEUDONYMISED_PATIENT_PROFILE);
            }
        }
        if (resource.getMeta().getSecurity(DataPlatformIds.SECURITY_LABEL_SYSTEM, DataPlatformIds.SECURITY_LABEL_PSEUDONYMISED) == null) {
            resource.getMeta().addSecurity(new Coding(DataPlatformIds.SECURITY_LABEL_SYSTEM,
                    DataPlatformIds.SECURITY_LABEL_PSEUDONYMISED, DataPlatformIds.SECURITY_LABEL_PSEUDONYMISED_DISPLAY));
        }
    }

    /** Every child of {@code element}, rebuilt without what must go (through HAPI's model, so choice types and extensions are covered). */
    private void scrubChildren(IBase element) {
        BaseRuntimeElementCompositeDefinition<?> definition =
                (BaseRuntimeElementCompositeDefinition<?>) FHIR.getElementDefinition(element.getClass());
        for (BaseRuntimeChildDefinition child : definition.getChildren()) {
            List<IBase> values = child.getAccessor().getValues(element);
            if (values.isEmpty()) {
                continue;
            }
            List<IBase> kept = new ArrayList<>(values.size());
            boolean changed = false;
            for (IBase value : values) {
                IBase scrubbed = scrub(element, child.getElementName(), value);
                changed |= scrubbed != value;
                if (scrubbed != null) {
                    kept.add(scrubbed);
                }
            }
            if (changed) {
                child.getMutator().setValue(element, null);
                for (IBase value : kept) {
                    child.getMutator().addValue(element, value);
                }
            }
        }
    }

    /** What becomes of one child value: itself (possibly scrubbed inside), a replacement, or null to remove it. */
    private IBase scrub(IBase parent, String childName, IBase value) {
        if (value instanceof HumanName || value instanceof Address || value instanceof ContactPoint
                || value instanceof Attachment || value instanceof Annotation || value instanceof Narrative) {
            return null;
        }
        if (parent instanceof Patient && (childName.equals("contact") || childName.equals("link"))) {
            return null;
        }
        if (value instanceof Identifier identifier) {
            if (Profiles.NHS_NUMBER_SYSTEM.equals(identifier.getSystem())) {
                return identifier.hasValue()
                        ? new Identifier().setSystem(DataPlatformIds.NHS_NUMBER_PSEUDONYM_SYSTEM)
                                .setValue(nhsNumberPseudonym(identifier.getValue()))
                        : null;
            }
            if (parent instanceof Resource) {
                return null; // a record identifier at the sender leads back to an identified record
            }
        }
        if (value instanceof IBaseResource contained) {
            scrubResource((Resource) contained);
            return value;
        }
        if (value instanceof IPrimitiveType<?>) {
            return isFreeText(value) && !isKeptText(parent, childName) ? null : value;
        }
        scrubChildren(value);
        return value.isEmpty() || isHollowExtension(value) ? null : value;
    }

    /** An extension whose value went and that holds no other extension: its url alone says nothing (ext-1). */
    private static boolean isHollowExtension(IBase value) {
        return value instanceof Extension extension && !extension.hasValue() && !extension.hasExtension();
    }

    /** string and markdown, but not their subtypes that hold codes or ids (code, id, ...). */
    private static boolean isFreeText(IBase primitive) {
        return primitive.getClass() == StringType.class || primitive instanceof MarkdownType;
    }

    /** The string elements that hold identifiers, terminology or structure rather than what someone wrote. */
    private static boolean isKeptText(IBase parent, String childName) {
        return (parent instanceof Identifier && childName.equals("value"))
                || (parent instanceof Coding && (childName.equals("display") || childName.equals("version")))
                || (parent instanceof Quantity && childName.equals("unit"))
                || (parent instanceof Reference && childName.equals("reference"))
                || childName.equals("linkId")
                || (parent instanceof Element && childName.equals("id"));
    }

    private static void reduceDatesToYear(Patient patient) {
        if (patient.hasBirthDateElement() && patient.getBirthDateElement().getValueAsString() != null) {
            patient.setBirthDateElement(new DateType(year(patient.getBirthDateElement().getValueAsString())));
        }
        if (patient.hasDeceasedDateTimeType() && patient.getDeceasedDateTimeType().getValueAsString() != null) {
            patient.setDeceased(new DateTimeType(year(patient.getDeceasedDateTimeType().getValueAsString())));
        }
    }

    /** The year of a FHIR date or dateTime as written (no time zone conversion: the year is what was recorded). */
    private static String year(String fhirDate) {
        return fhirDate.substring(0, 4);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256); // a Mac is not thread-safe: one per call
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
