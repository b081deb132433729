"""Error pages in the house style. A 404 says the same for 'absent' and 'not yours'."""

from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


@requires_csrf_token
def server_error(request):
    return render(request, "errors/500.html", status=500)
