from django.urls import path

from tanggap.nextbest import views

app_name = "nextbest"
urlpatterns = [path("work/", views.work_list, name="list")]
