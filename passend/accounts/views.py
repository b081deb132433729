"""Log-in with a second factor, and user/role management for a partnership's admin."""

import segno
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from passend.accounts import access, services
from passend.accounts.forms import (
    LoginForm,
    MembershipEndForm,
    MembershipGrantForm,
    TokenForm,
    UserCreateForm,
)
from passend.accounts.models import Membership
from passend.front.feedback import add_service_error, flash_errors

User = get_user_model()


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("front:home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.do_log_in(request, form.get_user())
            return redirect(_safe_next(request) or "front:home")
        services.do_record_failed_login(request, str(request.POST.get("username", "")))
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.do_log_out(request)
    messages.info(request, _("Je bent uitgelogd."))
    return redirect("accounts:login")


def _token_error(devices) -> str:
    """Why a code was refused: django-otp throttles after each failure (1 s, doubling)."""
    if not all(device.verify_is_allowed()[0] for device in devices):
        return _("Te veel onjuiste codes. Wacht even en probeer het opnieuw.")
    return _("Deze code klopt niet of is al gebruikt. Controleer ook de tijd op je telefoon.")


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect("accounts:otp_setup")
    if request.user.is_verified():
        return redirect("front:home")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = next((d for d in devices if d.verify_token(form.cleaned_data["token"])), None)
        if device is not None:
            services.do_verify_two_factor(request, device)
            return redirect("front:home")
        form.add_error("token", _token_error(devices))
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device: show the secret as QR code, confirm with a first code."""
    if request.user.is_verified():
        return redirect("front:home")
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            services.do_confirm_totp_device(request, device)
            messages.success(request, _("Tweestapsverificatie staat aan."))
            return redirect("front:home")
        form.add_error("token", _token_error([device]))
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr": qr, "secret": device.bin_key.hex()},
    )


# --- User and role management (partnership_admin) ----------------------------------------------


@login_required
@require_http_methods(["GET"])
def user_list(request: HttpRequest, partnership_code) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, partnership_code, manage_users=True)
    members = (
        User.objects.filter(memberships__partnership=partnership)
        .distinct()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(partnership=partnership).select_related(
                    "school"
                ),
                to_attr="partnership_memberships",
            )
        )
        .order_by("full_name", "email")
    )
    return render(
        request, "accounts/user_list.html", {"partnership": partnership, "members": members}
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest, partnership_code) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, partnership_code, manage_users=True)
    form = UserCreateForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.do_add_person(
                partnership=partnership,
                acting_user=request.user,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Persoon toegevoegd met de gekozen rol."))
            return redirect("accounts:user_detail", partnership.code, membership.user.code)
    return render(request, "accounts/user_create.html", {"partnership": partnership, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, partnership_code, user_code) -> HttpResponse:
    """A person's roles in this partnership, with the form to grant another."""
    partnership = access.get_partnership_for_user(request.user, partnership_code, manage_users=True)
    member = access.get_member_for_admin(request.user, partnership, user_code)
    form = MembershipGrantForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_grant_membership(
                user=member,
                partnership=partnership,
                acting_user=request.user,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Rol toegekend."))
            return redirect("accounts:user_detail", partnership.code, member.code)
    memberships = member.memberships.filter(partnership=partnership).select_related("school")
    return render(
        request,
        "accounts/user_detail.html",
        {
            "partnership": partnership,
            "member": member,
            "memberships": memberships,
            "form": form,
            "end_form": MembershipEndForm(),
        },
    )


@login_required
@require_POST
def membership_end(request: HttpRequest, partnership_code, membership_code) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, partnership_code, manage_users=True)
    membership = access.get_membership_for_admin(request.user, partnership, membership_code)
    form = MembershipEndForm(request.POST)
    if form.is_valid():
        try:
            services.do_end_membership(
                membership=membership,
                valid_until=form.cleaned_data["valid_until"],
                acting_user=request.user,
                request=request,
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Rol beëindigd."))
    else:
        flash_errors(request, form)
    return redirect("accounts:user_detail", partnership.code, membership.user.code)
