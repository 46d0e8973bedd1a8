from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "gops.jobs"
    label = "jobs"
    verbose_name = _("Background work")

    def ready(self) -> None:
        # Every app's job kinds register themselves when their jobs module is imported; the
        # consumer (manage.py run_huey) imports tasks modules, so do the web processes here.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
