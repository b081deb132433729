from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class NoStoreMiddleware:
    """Authenticated pages must not be kept by browsers or proxies (ASVS 14.3.2)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Dutch unless the user chose English with the language switch (a cookie).

    The browser's Accept-Language is deliberately ignored: many Dutch school staff run an English
    browser and still expect the Dutch interface their colleagues and documents use.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
