from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "passend.demo"
    verbose_name = "Demo"
