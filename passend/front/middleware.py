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


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than PASSEND_MAX_REQUEST_BYTES before reading it (413).

    Django limits form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams uploaded files to disk
    whatever their size; the forms then refuse files over EVIDENCE_MAX_BYTES only after the
    whole body has arrived. This check on the declared Content-Length stops an oversized upload
    at the door. A reverse proxy in production should enforce the same limit (client_max_body_size).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            from django.shortcuts import render

            response = render(request, "errors/413.html", status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)
