from django.urls import path

from zonegov.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
    path("operators/<int:pk>/", views.operator_detail, name="operator_detail"),
    path("operators/<int:pk>/risk/", views.operator_risk, name="operator_risk"),
    path("operators/<int:pk>/inspections/new/", views.inspection_new, name="inspection_new"),
    path("operators/<int:pk>/samplings/new/", views.sampling_new, name="sampling_new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/record/", views.inspection_record, name="inspection_record"),
    path("inspections/<int:pk>/verify/", views.inspection_verify, name="inspection_verify"),
    path("samplings/<int:pk>/", views.sampling_detail, name="sampling_detail"),
    path("followups/<int:pk>/", views.followup_detail, name="followup_detail"),
    path("followups/<int:pk>/act/", views.followup_act, name="followup_act"),
    path("plan/", views.plan, name="plan"),
]
