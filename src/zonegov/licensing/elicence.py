"""Automatic verification of the applicant's existing e-licences (电子证照自动核验).

The provider interface, the registry check and the provider setting
(``ZONEGOV_ELICENCE_PROVIDER``) are a core service, shared with the other modules that
check a person or an enterprise: :mod:`zonegov.core.identity.elicence`. Licensing uses
them from here (``licensing.services.application_verify``). The dotted path
``zonegov.licensing.elicence.RegistryProvider`` names the same class, so deployments that
set it keep working.

These checks say whether the application agrees with the registry and the account; they
do not prove who the applicant is. Instant approval also needs this login's verification
by an identity provider (``licensing.services.instant_identity``, ``core.identity``).
"""

from zonegov.core.identity.elicence import (
    Check,
    ElicenceProvider,
    RegistryProvider,
    _provider_class,
    provider,
)

__all__ = ["Check", "ElicenceProvider", "RegistryProvider", "_provider_class", "provider"]
