"""The personal-information rules a registering person agrees to (个人信息保护法 §13, §14,
§17): the page /privacy/ (templates/core/privacy.html) says for what purpose, which data,
how long they are kept and the person's rights; ``PRIVACY_VERSION`` names the text in
force, recorded on the account with the time of consent (``User.privacy_consented_at``).
Change the version whenever the page's substance changes."""

PRIVACY_VERSION = "2026-06"
