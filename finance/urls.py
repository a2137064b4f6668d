from django.urls import path

from lebork_einclusion.formkeys import once

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.budget, name="budget"),
    path("budget.xlsx", views.budget_xlsx, name="budget_xlsx"),
    path("agreement/", views.agreement_edit, name="agreement_edit"),
    path("amendments/new/", once(views.amendment_new), name="amendment_new"),
    path("expenditures/", views.expenditure_list, name="expenditure_list"),
    path("expenditures/new/", once(views.expenditure_edit), name="expenditure_new"),
    path("expenditures/<int:pk>/", views.expenditure_edit, name="expenditure_edit"),
    path("expenditures/<int:pk>/scan/", views.expenditure_scan, name="expenditure_scan"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/new/", once(views.claim_edit), name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/pdf/", views.claim_pdf, name="claim_pdf"),
    path("claims/<int:pk>/xlsx/", views.claim_xlsx, name="claim_xlsx"),
    path("claims/<int:pk>/<slug:action>/", views.claim_step, name="claim_step"),
]
