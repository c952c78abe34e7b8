from django.urls import path

from . import views

urlpatterns = [
    path("boards/<int:pk>/people/", views.people_list, name="board_people"),
    path("boards/<int:pk>/people/invite/", views.person_invite, name="board_person_invite"),
    path("boards/<int:pk>/people/<int:user_pk>/give-role/", views.role_give, name="board_role_give"),
    path("boards/<int:pk>/people/roles/<int:membership_pk>/take/", views.role_take, name="board_role_take"),
]
